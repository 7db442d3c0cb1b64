import type { PermissionName } from '../types.js';

/**
 * One privileged action or permission decision, as bridge services and the host report it. The
 * bridge's `AuditEntry` (src/bridge/services/service-scope.ts) is this type.
 */
export interface AuditEntry {
  /** The plugin that asked, or the plugin the operator acted on. */
  readonly plugin: string;
  /** What was attempted: one of AUDIT_ACTIONS (`fs.readFile`, `plugin.enable`, `config.set`, …). */
  readonly action: string;
  /** The path, command line, URL, plugin id or file concerned. */
  readonly target: string;
  readonly decision: 'allow' | 'deny';
  /** The permission that was checked, when one was. */
  readonly permission?: PermissionName | undefined;
  /** Why it was allowed or denied, in words. */
  readonly reason: string;
  /** Plain JSON data about the action (a config change's `{ changes: [{ key, from, to }] }`). */
  readonly details?: unknown;
}

/** Where audit entries go. `record` must never throw. */
export interface AuditSink {
  record(entry: AuditEntry): void;
}

/** An entry as the audit log keeps it: numbered, timestamped and chained to the one before. */
export interface AuditRecord {
  /** 1, 2, 3…: one sequence for the whole data directory, with no gaps. */
  readonly seq: number;
  /** When it was recorded, ISO 8601. */
  readonly at: string;
  readonly plugin: string;
  readonly action: string;
  readonly target: string;
  readonly decision: 'allow' | 'deny';
  readonly permission: PermissionName | null;
  readonly reason: string;
  /** `details` of the entry, or null. */
  readonly details: unknown;
  /** The hash of the record before (64 zeros for the first). */
  readonly prevHash: string;
  /** sha256 of the canonical serialisation of the fields above (audit-chain.ts). */
  readonly hash: string;
}

/** Which records a query returns; every given field must match. */
export interface AuditFilter {
  readonly plugin?: string | undefined;
  readonly action?: string | undefined;
  readonly decision?: 'allow' | 'deny' | undefined;
  readonly permission?: PermissionName | undefined;
}

/** A filter, and how many of the latest matching records to return (oldest first). */
export interface AuditQuery extends AuditFilter {
  readonly limit?: number | undefined;
}

/**
 * The privileged actions the host records, besides the bridge's permission decisions (`fs.*`,
 * `http.fetch`, `runner.*`, `plugins.get`). `plugin.install` and `plugin.uninstall` are reserved for
 * the installer: they are listed so that every tool reading the log knows them.
 */
export const AUDIT_ACTIONS = {
  'plugin.enable': 'a plugin was enabled (target: the file written)',
  'plugin.disable': 'a plugin was disabled (target: the file written)',
  'plugin.suspend': 'an active plugin was suspended by the operator',
  'plugin.resume': 'a suspended plugin was resumed by the operator',
  'plugin.restart': 'a plugin was restarted by the operator',
  'plugin.reload': 'a plugin was reloaded from disk (developer mode); deny when the new version failed',
  'plugin.install': 'a plugin package was installed (target: its folder; details: version, trust)',
  'plugin.uninstall': 'a plugin was removed (target: its folder)',
  'plugin.lock':
    "a plugin's jovian.lock entry was written or removed (target: the lock file; details: changes)",
  'config.set': "a plugin's config was changed (details: changes [{ key, from, to }], secrets masked)",
  'fs.readFile': 'a plugin read a file (permission fs_read)',
  'fs.writeFile': 'a plugin wrote a file (permission fs_write)',
  'fs.readdir': 'a plugin listed a folder (permission fs_read)',
  'fs.stat': 'a plugin read what a file is (permission fs_read)',
  'http.fetch': 'a plugin made an HTTP request (permission network_outbound)',
  'runner.run': 'a plugin ran a command (permission run_commands)',
  'runner.cwd': 'the folder a command runs in (permission fs_read)',
  'plugins.get': "a plugin reached another plugin's API",
} as const;
