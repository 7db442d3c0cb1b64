import { join } from 'node:path';

/**
 * Where Jovian keeps its files under a data directory. Per-plugin config and state live here, not in
 * the plugin's folder: installed plugin folders are immutable (their files are hashed for signatures),
 * and a plugin's settings must survive its updates.
 */
export interface DataDirLayout {
  readonly root: string;
  /** Global configuration. */
  readonly globalConfig: string;
  /** Installed plugins (the default plugins directory). */
  readonly pluginsDir: string;
  readonly logsDir: string;
  /** The audit log (SQLite, hash-chained; docs/server.md#audit). */
  readonly auditDb: string;
  /** Each plugin's log files: `<id>.log`, rotated to `<id>.log.1`… (docs/observability.md). */
  readonly pluginLogsDir: string;
  readonly cacheDir: string;
  /** A plugin's own folder: config.yaml, state.json, and the files it may always write. */
  pluginDataDir(id: string): string;
  pluginConfigFile(id: string): string;
  pluginStateFile(id: string): string;
}

export function dataDirLayout(dataDir: string): DataDirLayout {
  return {
    root: dataDir,
    globalConfig: join(dataDir, 'jovian.yaml'),
    pluginsDir: join(dataDir, 'plugins'),
    logsDir: join(dataDir, 'logs'),
    auditDb: join(dataDir, 'audit.db'),
    pluginLogsDir: join(dataDir, 'logs', 'plugins'),
    cacheDir: join(dataDir, 'cache'),
    pluginDataDir: (id) => join(dataDir, 'plugin-data', id),
    pluginConfigFile: (id) => join(dataDir, 'plugin-data', id, 'config.yaml'),
    pluginStateFile: (id) => join(dataDir, 'plugin-data', id, 'state.json'),
  };
}
