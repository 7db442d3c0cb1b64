import type { AuditEntry } from '../../observability/index.js';
import type { Permissions } from '../../types.js';

export type { AuditEntry };

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
