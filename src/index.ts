/**
 * Jovian, the library: declare hooks, create a host, load plugins.
 * @example
 * import { createHost, AsyncSeriesWaterfallHook } from 'jovian';
 * const hooks = { render: new AsyncSeriesWaterfallHook<string>({ name: 'render' }) };
 * const host = createHost({ hooks, pluginDirs: ['./plugins'] });
 * await host.start();
 * console.log(await hooks.render.call('<p>hello</p>'));
 */
export * from './errors.js';
export * from './events/index.js';
export * from './hooks/index.js';
export * from './host/index.js';
export { RUNTIME_CAPABILITIES, type RuntimeCapabilities } from './runtimes/index.js';
export type * from './sdk/index.js';
export { definePlugin } from './sdk/index.js';
export type * from './types.js';
export {
  HOOK_KINDS,
  JOB_STATES,
  PERMISSION_NAMES,
  PLUGIN_STATES,
  PLUGIN_TYPES,
  RUNTIME_KINDS,
} from './types.js';
