import type { PluginDefinition } from './plugin-api.js';
import { PLUGIN_BRAND } from './plugin-api.js';

const DEFINITION_KEYS = ['activate', 'deactivate', 'run', 'api', 'health', 'metrics', 'migrations'];

/** True for a plugin definition: branded by definePlugin, or an object with a known member. */
export function isDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[PLUGIN_BRAND] === true) return true;
  return DEFINITION_KEYS.some((key) => key in value);
}

/** The definition a plugin module exports (`default`, or `plugin`), or undefined. */
export function definitionOf(module: Record<string, unknown>): PluginDefinition | undefined {
  const candidate = module.default ?? module.plugin;
  return isDefinition(candidate) ? candidate : undefined;
}
