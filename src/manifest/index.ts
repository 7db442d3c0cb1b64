export { checkActivationEvent, deriveActivation } from './activation.js';
export {
  type DiscoveredPlugin,
  type DiscoverOptions,
  type DiscoveryResult,
  discoverPlugins,
  LEGACY_MODULE_NAMES,
  locateInManifest,
  rereadPlugin,
} from './discover.js';
export * from './inventory/index.js';
export { type LegacyDescription, manifestFromLegacy } from './legacy.js';
export { luaHooksOf } from './lua-hooks.js';
export type { LuaGlobalFunction } from './lua-source-scan.js';
export { deepFreeze, EMPTY_CONTRIBUTIONS } from './normalise.js';
export { LUA_HEADER_TAGS, parseLuaPlugin } from './parse-lua-plugin.js';
export {
  type ManifestIdentity,
  type ParsedManifest,
  type ParseManifestOptions,
  parseManifest,
} from './parse-manifest.js';
export { canonicalPermission, NO_PERMISSIONS } from './permissions.js';
export type { RawManifest } from './schema.js';
export { PLUGIN_ID_RE, TOPIC_PATTERN } from './vocabulary.js';
