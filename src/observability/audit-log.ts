import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PermissionName } from '../types.js';
import { type Disposable, toDisposable } from '../util/index.js';

/**
 * One privileged action or permission decision, as bridge services report it. The bridge's
 * `AuditEntry` (src/bridge/services/service-scope.ts) is this type.
 */
export interface AuditEntry {
  /** The plugin that asked. */
  readonly plugin: string;
  /** What was attempted: `fs.readFile`, `fs.writeFile`, `runner.run`, `runner.cwd`, `http.fetch`, `plugins.get`, … */
  readonly action: string;
  /** The path, command line, URL or plugin id concerned. */
  readonly target: string;
  readonly decision: 'allow' | 'deny';
  /** The permission that was checked, when one was. */
  readonly permission?: PermissionName | undefined;
  /** Why it was allowed or denied, in words. */
  readonly reason: string;
}

/** Where audit entries go. `record` must never throw. */
export interface AuditSink {
  record(entry: AuditEntry): void;
}

/** An entry as the audit log keeps it. */
export interface AuditRecord extends AuditEntry {
  /** 1, 2, 3… within this AuditLog's life. */
  readonly seq: number;
  /** When it was recorded, ISO 8601. */
  readonly at: string;
}

/** Which records `recent()` returns; every given field must match. */
export type AuditFilter = Partial<Pick<AuditEntry, 'plugin' | 'action' | 'decision' | 'permission'>>;

/** Records kept in memory for `recent()`. */
const KEEP_IN_MEMORY = 1_000;

/**
 * The audit record: every permission decision and privileged action, numbered and timestamped, the
 * latest 1000 kept in memory, and — when a file is given — appended to it as one JSON line each, in
 * order. `record()` never throws and never waits for the disk; lines are buffered and written in the
 * background (the folder is created on the first write). A failed write drops those lines (the next
 * ones are tried again) and never becomes an unhandled rejection; `flush()` waits for the disk.
 *
 * Not tamper-evident: a hash-chained store replaces the file later, behind the same methods.
 * @example
 * const audit = new AuditLog('/var/lib/jovian/logs/audit.jsonl');
 * audit.record({ plugin: 'notes', action: 'fs.read', target: '/x', decision: 'deny', reason: '…' });
 * await audit.flush();
 */
export class AuditLog implements AuditSink {
  readonly #file: string | undefined;
  readonly #recent: AuditRecord[] = [];
  readonly #listeners = new Set<(record: AuditRecord) => void>();
  #seq = 0;
  #pending: string[] = [];
  #scheduled = false;
  #writing: Promise<void> = Promise.resolve();
  #folderReady: Promise<unknown> | undefined;
  #failures = 0;

  /** @param file JSON-lines file to append to; records stay in memory only when absent. */
  constructor(file?: string) {
    this.#file = file;
  }

  /** Lines that could not be written to the file so far (0 when every write succeeded). */
  get failedWrites(): number {
    return this.#failures;
  }

  /** Numbers, timestamps and keeps `entry`, tells the listeners, and queues its line. Never throws. */
  record(entry: AuditEntry): void {
    const record: AuditRecord = Object.freeze({
      seq: ++this.#seq,
      at: new Date().toISOString(),
      plugin: entry.plugin,
      action: entry.action,
      target: entry.target,
      decision: entry.decision,
      ...(entry.permission === undefined ? {} : { permission: entry.permission }),
      reason: entry.reason,
    });
    this.#recent.push(record);
    if (this.#recent.length > KEEP_IN_MEMORY) this.#recent.shift();
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // A failing listener must neither lose the record nor reach the plugin that caused it.
      }
    }
    if (this.#file === undefined) return;
    this.#pending.push(`${JSON.stringify(record)}\n`);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#writePending());
    }
  }

  /** The records kept in memory (the latest 1000), oldest first, optionally filtered. */
  recent(filter: AuditFilter = {}): AuditRecord[] {
    return this.#recent.filter(
      (r) =>
        (filter.plugin === undefined || r.plugin === filter.plugin) &&
        (filter.action === undefined || r.action === filter.action) &&
        (filter.decision === undefined || r.decision === filter.decision) &&
        (filter.permission === undefined || r.permission === filter.permission),
    );
  }

  /** Calls `listener` with every later record, synchronously; its exceptions are ignored. */
  onRecord(listener: (record: AuditRecord) => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  /** Resolves once every record made so far has been written (or has failed to be). Never rejects. */
  async flush(): Promise<void> {
    if (this.#scheduled) this.#writePending();
    await this.#writing;
  }

  #writePending(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0 || this.#file === undefined) return;
    const lines = this.#pending;
    this.#pending = [];
    const file = this.#file;
    this.#writing = this.#writing.then(async () => {
      try {
        this.#folderReady ??= mkdir(dirname(file), { recursive: true });
        await this.#folderReady;
        await appendFile(file, lines.join(''), { mode: 0o600 });
      } catch {
        // Audit must not break the action it records; the count says lines were lost.
        this.#folderReady = undefined;
        this.#failures += lines.length;
      }
    });
  }
}
