import {
  LOCKFILE_VERSION,
  type LockEntry,
  type LockFile,
  lockDrifts,
  readLockFile,
  writeLockFile,
} from '../config/index.js';
import { diagnostic, errorToData, errorToDiagnostic, JovianError } from '../errors.js';
import type { AuditSink } from '../observability/index.js';
import { lockEntryFor } from '../security/index.js';
import type { Diagnostic } from '../types.js';
import {
  contentPath,
  findLockDifferences,
  isLockable,
  type LockFinding,
  refreshedEntry,
  UPDATE_HINT,
} from './lock-findings.js';
import type { PluginRecord } from './plugin-record.js';

/** What the lock needs from the host. */
export interface LockHostView {
  records(): PluginRecord[];
  record(id: string): PluginRecord | undefined;
  isEnabled(id: string): boolean;
  readonly audit: AuditSink;
}

/** `plugins lock verify`: every difference between the plugins found and jovian.lock. */
export interface LockVerification {
  readonly file: string;
  /** How many plugins the lock lists. */
  readonly locked: number;
  readonly findings: readonly LockFinding[];
}

/** One entry of `plugins lock`. */
export interface LockChange {
  readonly id: string;
  /** `skipped`: the plugin's manifest is invalid; its entry (if any) is kept as it was. */
  readonly change: 'added' | 'updated' | 'unchanged' | 'removed' | 'skipped';
  /** For `updated`: what changed, as `plugins lock verify` words it. */
  readonly details: readonly string[];
}

export interface LockWriteResult {
  readonly file: string;
  /** How many plugins the lock lists now. */
  readonly locked: number;
  readonly changes: readonly LockChange[];
}

/** The code of the diagnostic that keeps a plugin that drifted from jovian.lock from starting. */
export const LOCK_REFUSAL = 'JOVIAN_E_LOCK_DRIFT';

/**
 * jovian.lock for one host (docs/packaging.md#lockfile). Without a lock file the host checks nothing
 * and hashes nothing. With one, at load, a plugin whose version, content or permissions differ from
 * its entry gets an error diagnostic (JOVIAN_E_LOCK_DRIFT) that keeps it `blocked` — unless `update`
 * is set, in which case its entry is rewritten; other differences are warnings.
 */
export class HostLock {
  readonly file: string;
  readonly #update: boolean;
  readonly #host: LockHostView;
  #error: JovianError | undefined;
  /** The differences found at load (undefined when there was no lock, or it was rewritten). */
  #findings: LockFinding[] | undefined;

  constructor(file: string, update: boolean, host: LockHostView) {
    this.file = file;
    this.#update = update;
    this.#host = host;
  }

  /** Why the lock could not be read at load; the host refuses to start while it is set. */
  get error(): JovianError | undefined {
    return this.#error;
  }

  /**
   * Compares the plugins found with the lock and marks each plugin with what differs (see the class).
   * Returns the diagnostics that belong to no plugin: a lock that cannot be read, entries of plugins
   * that are gone, entries rewritten.
   */
  async check(): Promise<Diagnostic[]> {
    this.#error = undefined;
    this.#findings = undefined;
    let lock: LockFile | undefined;
    try {
      lock = await readLockFile(this.file);
    } catch (error) {
      this.#error = asJovianError(error);
      return [errorToDiagnostic(this.#error)];
    }
    if (!lock) return [];
    const findings = await findLockDifferences(lock, this.#host.records(), (id) => this.#host.isEnabled(id));
    const hostDiagnostics: Diagnostic[] = [];
    const rewritten: Record<string, LockEntry> = {};
    for (const finding of findings) {
      const record = this.#host.record(finding.id);
      const differs = finding.kind === 'changed' || finding.kind === 'enabled';
      if (differs && this.#update && finding.current) {
        rewritten[finding.id] = refreshedEntry(lock.plugins[finding.id], finding.current);
        hostDiagnostics.push(
          diagnostic(finding.code, `${finding.message} — entry updated (--update-lock)`, {
            severity: 'info',
            plugin: finding.id,
            hint: `nothing to do: jovian.lock now records \`${finding.id}\` as it is`,
          }),
        );
      } else if (finding.kind === 'gone' || !record) {
        hostDiagnostics.push(
          diagnostic(finding.code, finding.message, { severity: 'warning', plugin: finding.id }),
        );
      } else {
        record.addDiagnostics([
          diagnostic(finding.code, finding.message, {
            severity: finding.kind === 'changed' ? 'error' : 'warning',
            plugin: finding.id,
            hint: finding.kind === 'changed' ? UPDATE_HINT(finding.id) : undefined,
          }),
        ]);
      }
    }
    if (Object.keys(rewritten).length > 0) {
      await writeLockFile(this.file, {
        lockfile_version: LOCKFILE_VERSION,
        plugins: { ...lock.plugins, ...rewritten },
      });
      for (const finding of findings.filter((f) => rewritten[f.id]))
        this.#audit(
          finding.id,
          'updated at start (--update-lock)',
          finding.drifts.map((d) => d.message),
        );
    } else this.#findings = findings;
    return hostDiagnostics;
  }

  /**
   * Every difference between the plugins found and the lock (`plugins lock verify`).
   * @throws JOVIAN_E_LOCK_NOT_FOUND, and what reading the lock throws
   */
  async verify(): Promise<LockVerification> {
    const lock = await readLockFile(this.file);
    if (!lock) throw new JovianError('JOVIAN_E_LOCK_NOT_FOUND', `there is no jovian.lock at ${this.file}`);
    const findings =
      this.#findings ??
      (await findLockDifferences(lock, this.#host.records(), (id) => this.#host.isEnabled(id)));
    return { file: this.file, locked: Object.keys(lock.plugins).length, findings };
  }

  /**
   * Writes the lock from the plugins found: every plugin (entries of plugins that are gone are
   * dropped), or only those named in `only` (a named plugin that is gone loses its entry).
   * @throws JOVIAN_E_PLUGIN_NOT_FOUND for a named plugin neither found nor locked; what reading the
   *   lock throws (a broken lock is never overwritten: delete it first)
   */
  async write(only?: readonly string[]): Promise<LockWriteResult> {
    const previous = (await readLockFile(this.file))?.plugins ?? {};
    const plugins: Record<string, LockEntry> = only ? { ...previous } : {};
    const targets = only
      ? [...new Set(only)]
      : this.#host
          .records()
          .filter((r) => r.category !== 'core')
          .map((r) => r.id);
    const changes: LockChange[] = [];
    for (const id of targets) {
      const record = this.#host.record(id);
      const before = previous[id];
      if (!record || record.category === 'core') {
        if (!before)
          throw new JovianError(
            'JOVIAN_E_PLUGIN_NOT_FOUND',
            `no plugin \`${id}\` found, and jovian.lock does not list it`,
          );
        delete plugins[id];
        changes.push({ id, change: 'removed', details: [] });
        continue;
      }
      if (!isLockable(record)) {
        if (before) plugins[id] = before;
        changes.push({
          id,
          change: 'skipped',
          details: [record.diagnostics[0]?.message ?? 'invalid manifest'],
        });
        continue;
      }
      const manifest = record.manifest!;
      const current = await lockEntryFor({ path: contentPath(record), manifest }, this.#host.isEnabled(id));
      plugins[id] = refreshedEntry(before, current);
      const details = before ? lockDrifts(before, current).map((d) => d.message) : [];
      changes.push({ id, change: !before ? 'added' : details.length > 0 ? 'updated' : 'unchanged', details });
    }
    if (!only)
      for (const id of Object.keys(previous))
        if (!(id in plugins)) changes.push({ id, change: 'removed', details: [] });
    await writeLockFile(this.file, { lockfile_version: LOCKFILE_VERSION, plugins });
    for (const change of changes)
      if (change.change !== 'unchanged' && change.change !== 'skipped')
        this.#audit(change.id, `entry ${change.change}`, change.details);
    this.#findings = undefined;
    return { file: this.file, locked: Object.keys(plugins).length, changes: changes.sort(byId) };
  }

  /**
   * Reads the lock before an enable/disable writes anything, so that a broken lock stops the change
   * rather than leaving the flag and the lock apart. Undefined when there is no lock.
   */
  read(): Promise<LockFile | undefined> {
    return readLockFile(this.file);
  }

  /** Records a plugin's new enabled flag in its entry, when the lock lists it. */
  async setEnabled(lock: LockFile | undefined, id: string, enabled: boolean): Promise<void> {
    const entry = lock?.plugins[id];
    const record = this.#host.record(id);
    if (record)
      record.diagnostics = record.diagnostics.filter((d) => d.code !== 'JOVIAN_E_LOCK_ENABLED_MISMATCH');
    if (!lock || !entry || entry.enabled === enabled) return;
    await writeLockFile(this.file, {
      lockfile_version: LOCKFILE_VERSION,
      plugins: { ...lock.plugins, [id]: { ...entry, enabled } },
    });
    this.#findings = undefined;
    this.#audit(id, `entry ${enabled ? 'enabled' : 'disabled'}`, []);
  }

  #audit(id: string, what: string, details: readonly string[]): void {
    this.#host.audit.record({
      plugin: id,
      action: 'plugin.lock',
      target: this.file,
      decision: 'allow',
      reason: `jovian.lock ${what}`,
      details: details.length > 0 ? { changes: details } : undefined,
    });
  }
}

function asJovianError(error: unknown): JovianError {
  if (error instanceof JovianError) return error;
  return new JovianError('JOVIAN_E_UNEXPECTED', errorToData(error).message, { cause: error });
}

function byId(a: LockChange, b: LockChange): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
