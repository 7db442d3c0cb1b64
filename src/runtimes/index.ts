export { checkRuntimeCapabilities, RUNTIME_CAPABILITIES, type RuntimeCapabilities } from './capabilities.js';
export { inProcessRuntime, isDefinition } from './inprocess/host.js';
export * from './rpc/index.js';
export type { PluginInstance, Runtime, RuntimeLaunch } from './runtime.js';
