export { ConfigError, type ConfigIssue } from './config-error.js';
export { type Migration, type MigrationOutcome, migrateValues } from './config-migrations.js';
export { type DataDirLayout, dataDirLayout } from './data-dir.js';
export { isPluginEnabled, setPluginEnabled } from './enabled-flags.js';
export {
  DEFAULT_JOBS_SETTINGS,
  DEFAULT_LOG_FILES,
  DEFAULT_METRICS_INTERVAL_MS,
  GLOBAL_CONFIG_SCHEMA,
  type GlobalConfig,
  isFeatureEnabled,
  type JobsSettings,
  type LogLevelSetting,
  loadGlobalConfig,
  type SecurityMode,
} from './global-config.js';
export { type LockDrift, lockDrifts, refusesStart } from './lock-drift.js';
export {
  LOCK_FILE_NAME,
  LOCKFILE_VERSION,
  type LockEntry,
  type LockFile,
  lockFileFor,
  normaliseLockedPermissions,
  parseLockText,
  readLockFile,
  serialiseLockFile,
  writeLockEntry,
  writeLockFile,
} from './lock-file.js';
export { type ConfigChange, MASK, maskSecrets } from './masked-changes.js';
export {
  type ConfigChangeEvent,
  type ConfigOverrides,
  type LoadOutcome,
  PluginConfigStore,
  type PluginConfigStoreOptions,
  VERSION_KEY,
} from './plugin-config-store.js';
export { assertJson, PluginStateStore } from './plugin-state-store.js';
export {
  loadProjectConfig,
  PROJECT_CONFIG_SCHEMA,
  type ProjectConfig,
  type ProjectPluginSettings,
  projectOverrides,
} from './project-config.js';
