export { checkRuntimeCapabilities, RUNTIME_CAPABILITIES, type RuntimeCapabilities } from './capabilities.js';
export { inProcessRuntime } from './inprocess/host.js';
export { processRuntime } from './process/host.js';
export { permissionFlag, permissionFlags } from './process/permission-flags.js';
export { definitionOf, isDefinition } from './rpc/definition.js';
export * from './rpc/index.js';
export type { InstanceExit, PluginInstance, Runtime, RuntimeLaunch } from './runtime.js';
export { workerRuntime } from './worker/host.js';
