import type { PermissionName, Permissions } from '../../types.js';

/** One audited decision or privileged action. */
export interface AuditEntry {
  /** The plugin that asked. */
  readonly plugin: string;
  /** What was attempted: `fs.read`, `fs.write`, `runner.run`, `http.fetch`, `plugins.get`, … */
  readonly action: string;
  /** The path, command line, URL or plugin id concerned. */
  readonly target: string;
  readonly decision: 'allow' | 'deny';
  readonly permission?: PermissionName | undefined;
  /** Why it was allowed or denied, in words. */
  readonly reason: string;
}

/** Where bridge services write their audit entries. Must never throw. */
export interface AuditSink {
  record(entry: AuditEntry): void;
}

/** What a bridge service knows about the plugin it serves. */
export interface ServiceScope {
  readonly pluginId: string;
  readonly permissions: Permissions;
  /** The plugin folder (always readable by the plugin). */
  readonly pluginDir: string;
  /** The plugin's data folder (always readable and writable by the plugin). */
  readonly dataDir: string;
  /** The project folder: what `fs_read: true` / `fs_write: true` grant, and the base of relative grants. */
  readonly projectDir: string;
  readonly audit: AuditSink;
}
