import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PermissionName } from '../types.js';
import { type Disposable, toDisposable } from '../util/index.js';

/** One privileged action or permission decision, as bridge services report it. */
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

export interface AuditRecord extends AuditEntry {
  /** Increasing within this host's run. */
  readonly seq: number;
  /** ISO 8601. */
  readonly at: string;
}

const KEEP = 1_000;

/**
 * The audit record: every permission decision and privileged action, appended in order as one JSON line
 * per record, with the latest kept in memory. Recording never throws and never waits for the disk;
 * `flush()` does. (A hash-chained store replaces the file later; the interface stays.)
 */
export class AuditLog {
  readonly #file: string | undefined;
  readonly #recent: AuditRecord[] = [];
  readonly #listeners = new Set<(record: AuditRecord) => void>();
  #seq = 0;
  #buffer: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  #scheduled = false;
  #failed = false;

  constructor(file?: string) {
    this.#file = file;
  }

  record(entry: AuditEntry): void {
    const record: AuditRecord = { seq: ++this.#seq, at: new Date().toISOString(), ...entry };
    this.#recent.push(record);
    if (this.#recent.length > KEEP) this.#recent.splice(0, this.#recent.length - KEEP);
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // A failing listener must not lose the record.
      }
    }
    if (!this.#file || this.#failed) return;
    this.#buffer.push(`${JSON.stringify(record)}\n`);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#write());
    }
  }

  /** The latest records (up to 1000), oldest first, optionally filtered. */
  recent(filter: Partial<Pick<AuditEntry, 'plugin' | 'action' | 'decision'>> = {}): AuditRecord[] {
    return this.#recent.filter(
      (r) =>
        (filter.plugin === undefined || r.plugin === filter.plugin) &&
        (filter.action === undefined || r.action === filter.action) &&
        (filter.decision === undefined || r.decision === filter.decision),
    );
  }

  onRecord(listener: (record: AuditRecord) => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  /** Resolves once every record so far is on disk. */
  async flush(): Promise<void> {
    if (this.#scheduled) this.#write();
    await this.#writing;
  }

  #write(): void {
    this.#scheduled = false;
    if (this.#buffer.length === 0) return;
    const chunk = this.#buffer.join('');
    this.#buffer = [];
    const file = this.#file!;
    this.#writing = this.#writing
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, chunk, { mode: 0o600 });
      })
      .catch(() => {
        this.#failed = true;
      });
  }
}
