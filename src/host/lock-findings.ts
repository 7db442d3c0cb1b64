import { type LockDrift, type LockEntry, type LockFile, lockDrifts, refusesStart } from '../config/index.js';
import { type ErrorCode, errorToData } from '../errors.js';
import { lockEntryFor } from '../security/index.js';
import type { PluginRecord } from './plugin-record.js';

/** A plugin the lock can describe: found on disk, with a valid manifest, not built into the host. */
export function isLockable(record: PluginRecord): boolean {
  return record.category !== 'core' && record.manifest !== undefined;
}

/**
 * Where a plugin's content lives: its folder, or for a single-file Lua plugin its `.lua` file (then
 * `file` is that file, and `dir` the plugins directory it shares with others).
 */
export function contentPath(record: PluginRecord): string {
  return record.file.endsWith('.lua') ? record.file : record.dir;
}

/** The lock entry of a plugin as it is on disk now (hashes its files), or why it cannot be built. */
export async function currentEntry(
  record: PluginRecord,
  enabled: boolean,
): Promise<{ entry: LockEntry } | { failure: string }> {
  const manifest = record.manifest!;
  try {
    return { entry: await lockEntryFor({ path: contentPath(record), manifest }, enabled) };
  } catch (error) {
    return { failure: `content cannot be read (${errorToData(error).message})` };
  }
}

/** One difference between the plugins found and jovian.lock. */
export interface LockFinding {
  readonly id: string;
  /**
   * `changed`: version, content or permissions differ (the plugin is refused); `enabled`: only the
   * enabled flag differs; `unlisted`: the lock has no entry for it; `gone`: the lock lists a plugin
   * that is not found.
   */
  readonly kind: 'changed' | 'enabled' | 'unlisted' | 'gone';
  readonly code: ErrorCode;
  readonly message: string;
  /** For `changed` and `enabled`: each difference. */
  readonly drifts: readonly LockDrift[];
  /** For `changed` and `enabled`: the entry the plugin has now, when its content could be read. */
  readonly current?: LockEntry | undefined;
}

export const UPDATE_HINT = (id: string): string =>
  `if you accept the change, run \`jovian plugins lock --update ${id}\` (or start with --update-lock)`;

/**
 * Compares the plugins found with the lock. Hashes only plugins the lock lists: a plugin it does not
 * list is reported without being read.
 */
export async function findLockDifferences(
  lock: LockFile,
  records: readonly PluginRecord[],
  isEnabled: (id: string) => boolean,
): Promise<LockFinding[]> {
  const findings: LockFinding[] = [];
  const found = new Set<string>();
  for (const record of records) {
    if (record.category === 'core') continue;
    found.add(record.id);
    if (!isLockable(record)) continue;
    const locked = lock.plugins[record.id];
    if (!locked) {
      findings.push({
        id: record.id,
        kind: 'unlisted',
        code: 'JOVIAN_E_LOCK_UNLISTED',
        message: `plugin \`${record.id}\` is not listed in jovian.lock; it runs unchecked`,
        drifts: [],
      });
      continue;
    }
    const now = await currentEntry(record, isEnabled(record.id));
    const drifts =
      'entry' in now ? lockDrifts(locked, now.entry) : [{ kind: 'content' as const, message: now.failure }];
    if (drifts.length === 0) continue;
    const refused = drifts.some(refusesStart);
    findings.push({
      id: record.id,
      kind: refused ? 'changed' : 'enabled',
      code: refused ? 'JOVIAN_E_LOCK_DRIFT' : 'JOVIAN_E_LOCK_ENABLED_MISMATCH',
      message: `plugin \`${record.id}\` differs from jovian.lock: ${drifts.map((d) => d.message).join('; ')}`,
      drifts,
      current: 'entry' in now ? now.entry : undefined,
    });
  }
  for (const id of Object.keys(lock.plugins).sort()) {
    if (found.has(id)) continue;
    findings.push({
      id,
      kind: 'gone',
      code: 'JOVIAN_E_LOCK_PLUGIN_GONE',
      message: `jovian.lock lists \`${id}\`, which is not in any plugins directory`,
      drifts: [],
    });
  }
  return findings;
}

/**
 * The entry to write for a plugin whose entry is being refreshed: `current`, with the installer's
 * `source` kept, and its `trust` and `signer` kept only while the content is the one they vouch for.
 */
export function refreshedEntry(previous: LockEntry | undefined, current: LockEntry): LockEntry {
  if (!previous) return current;
  const kept: { source?: string; trust?: string; signer?: string } = {};
  if (previous.source !== undefined) kept.source = previous.source;
  if (previous.hash === current.hash) {
    if (previous.trust !== undefined) kept.trust = previous.trust;
    if (previous.signer !== undefined) kept.signer = previous.signer;
  }
  return { ...current, ...kept };
}
