import type { PluginDefinition } from '../runtimes/index.js';

// The same registered symbol as PLUGIN_BRAND in runtimes/rpc: repeated here so that this module (which
// plugin bundles include) stays free of any runtime import.
const BRAND = Symbol.for('jovian.plugin');

/**
 * Declares a plugin. It returns the definition unchanged (apart from a brand the host recognises), and
 * gives full types to `ctx`, `run` and `api`.
 * @example
 * export default definePlugin({
 *   async activate(ctx) {
 *     await ctx.hooks.tap('filter_message', (message: ChatMessage) => ({ ...message, content: message.content.trim() }));
 *   },
 * });
 */
export function definePlugin<Api extends object = object, Input = unknown, Output = unknown>(
  definition: PluginDefinition<Api, Input, Output>,
): PluginDefinition<Api, Input, Output> {
  Object.defineProperty(definition, BRAND, { value: true, enumerable: false });
  return definition;
}
