import { type Disposable, toDisposable } from '../util/index.js';
import type { ChainReport } from './audit-chain.js';
import type { AuditEntry, AuditFilter, AuditQuery, AuditRecord, AuditSink } from './audit-entry.js';
import { AuditStore, chainRow, type PendingEntry, toRecord } from './audit-store.js';

/** Records kept in memory for `recent()`. */
const KEEP_IN_MEMORY = 1_000;
/** Entries kept waiting while the database cannot be written; older ones are dropped (and counted). */
const MAX_PENDING = 10_000;
/** Delay before a failed write is tried again (ms). */
const RETRY_MS = 1_000;

/**
 * The audit record: every permission decision and privileged action, numbered, timestamped and
 * hash-chained (audit-chain.ts), in `<data-dir>/audit.db` (SQLite) when a file is given, else in
 * memory only. The latest 1000 written here stay in memory for `recent()`.
 *
 * `record()` never throws and never waits for the disk: entries are queued and written together in
 * one transaction after the current task. A write that fails (disk full, the database locked by
 * another process for more than 2 s) keeps the entries queued and tries again a second later; only
 * past 10 000 waiting entries are the oldest dropped, and counted in `failedWrites`. `flush()` writes
 * what is queued and waits for it.
 * @example
 * const audit = new AuditLog('/var/lib/jovian/audit.db');
 * audit.record({ plugin: 'notes', action: 'fs.readFile', target: '/x', decision: 'deny', reason: '…' });
 * await audit.flush();
 */
export class AuditLog implements AuditSink {
  readonly #file: string | undefined;
  readonly #recent: AuditRecord[] = [];
  readonly #listeners = new Set<(record: AuditRecord) => void>();
  #pending: PendingEntry[] = [];
  #scheduled = false;
  #retry: NodeJS.Timeout | undefined;
  #store: AuditStore | undefined;
  /** The head of the in-memory chain (no file). */
  #memoryHead: { seq: number; hash: string } | null = null;
  #failures = 0;
  #lastError: Error | undefined;

  /** @param file the SQLite database; records stay in memory only when absent. */
  constructor(file?: string) {
    this.#file = file;
  }

  /** The database file, if any. */
  get file(): string | undefined {
    return this.#file;
  }

  /** Entries lost so far because the database could not be written for too long (0 normally). */
  get failedWrites(): number {
    return this.#failures;
  }

  /** Why the last write failed, while entries wait to be written; undefined once they are. */
  get writeError(): Error | undefined {
    return this.#lastError;
  }

  /** Queues `entry` (timestamped now) to be chained and written. Never throws. */
  record(entry: AuditEntry): void {
    try {
      this.#pending.push({ at: new Date().toISOString(), entry: snapshot(entry) });
    } catch {
      // `details` that cannot be copied: record the action without them rather than lose it.
      this.#pending.push({
        at: new Date().toISOString(),
        entry: { ...entry, details: '(not serialisable)' },
      });
    }
    if (this.#pending.length > MAX_PENDING) {
      this.#failures += this.#pending.length - MAX_PENDING;
      this.#pending.splice(0, this.#pending.length - MAX_PENDING);
    }
    if (this.#scheduled || this.#retry) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#write());
  }

  /** The records written by this log (the latest 1000), oldest first, optionally filtered. */
  recent(filter: AuditFilter = {}): AuditRecord[] {
    this.#write();
    return this.#recent.filter((r) => matches(r, filter));
  }

  /**
   * The latest records of the whole log (every process writing to the file), oldest first.
   * @throws the SQLite error when the database cannot be read.
   */
  query(query: AuditQuery = {}): AuditRecord[] {
    this.#write();
    if (this.#file === undefined) {
      const found = this.#recent.filter((r) => matches(r, query));
      return found.slice(Math.max(0, found.length - (query.limit ?? 100)));
    }
    return this.#open().query(query);
  }

  /** Checks the chain of the whole log (see `jovian audit verify`). */
  verify(): ChainReport {
    this.#write();
    if (this.#file !== undefined) return this.#open().verify();
    // In memory, nothing but this object wrote the chain: there is nothing to check it against.
    const head = this.#memoryHead;
    return { ok: true, records: head?.seq ?? 0, head, problem: null };
  }

  /** Calls `listener` with every record once it is written; its exceptions are ignored. */
  onRecord(listener: (record: AuditRecord) => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  /** Writes what is queued and resolves once it is written (or has failed to be). Never rejects. */
  async flush(): Promise<void> {
    this.#write();
  }

  /** Writes what is queued, then closes the database (it opens again on the next record). */
  close(): void {
    this.#write();
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#store?.close();
    this.#store = undefined;
  }

  #open(): AuditStore {
    this.#store ??= AuditStore.openForWriting(this.#file!);
    return this.#store;
  }

  #write(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    let written: AuditRecord[];
    try {
      written = this.#file === undefined ? this.#chainInMemory(batch) : this.#open().append(batch);
    } catch (error) {
      // Audit must not break the action it records: keep the entries and try again later.
      this.#lastError = error as Error;
      this.#store?.close();
      this.#store = undefined;
      this.#retry ??= setTimeout(() => {
        this.#retry = undefined;
        this.#write();
      }, RETRY_MS);
      this.#retry.unref();
      return;
    }
    this.#pending = [];
    this.#lastError = undefined;
    for (const record of written) this.#keep(record);
  }

  #chainInMemory(batch: readonly PendingEntry[]): AuditRecord[] {
    return batch.map((pending) => {
      const row = chainRow(pending, this.#memoryHead);
      this.#memoryHead = { seq: row.seq, hash: row.hash };
      return toRecord(row);
    });
  }

  #keep(record: AuditRecord): void {
    this.#recent.push(record);
    if (this.#recent.length > KEEP_IN_MEMORY) this.#recent.shift();
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // A failing listener must neither lose the record nor reach the plugin that caused it.
      }
    }
  }
}

function matches(record: AuditRecord, filter: AuditFilter): boolean {
  return (
    (filter.plugin === undefined || record.plugin === filter.plugin) &&
    (filter.action === undefined || record.action === filter.action) &&
    (filter.decision === undefined || record.decision === filter.decision) &&
    (filter.permission === undefined || record.permission === filter.permission)
  );
}

/** A copy of the entry, so a later change by the caller does not alter what is recorded. */
function snapshot(entry: AuditEntry): AuditEntry {
  return {
    plugin: entry.plugin,
    action: entry.action,
    target: entry.target,
    decision: entry.decision,
    permission: entry.permission,
    reason: entry.reason,
    details: entry.details === undefined ? undefined : structuredClone(entry.details),
  };
}
