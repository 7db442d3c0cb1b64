/**
 * Jobs on disk: `<data-dir>/jobs.db`, SQLite in WAL mode with full sync, one row per job written at
 * each change of state (progress stays in memory until the job ends). Opening it marks the jobs a
 * previous host left pending or running as failed (`host stopped`), and applies the retention rules.
 * better-sqlite3 is loaded on first use: a host that never touches jobs never loads it.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { errorToData, JovianError } from '../errors.js';
import { FINAL_JOB_STATES, type JobInfo, type JobState } from '../types.js';

export interface JobFilter {
  readonly plugin?: string | undefined;
  readonly state?: JobState | undefined;
  /** Newest first; default 100. */
  readonly limit?: number | undefined;
}

export interface Retention {
  readonly days: number;
  readonly count: number;
}

const FINAL = FINAL_JOB_STATES.map((s) => `'${s}'`).join(', ');

export class JobStore {
  readonly #db: BetterSqlite3.Database;
  readonly #retention: Retention;
  readonly #save: BetterSqlite3.Statement;

  private constructor(db: BetterSqlite3.Database, retention: Retention) {
    this.#db = db;
    this.#retention = retention;
    this.#save = db.prepare(
      `INSERT INTO jobs (id, plugin, name, state, created_at, ended_at, data)
       VALUES (@id, @plugin, @name, @state, @createdAt, @endedAt, @data)
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at, data = excluded.data`,
    );
  }

  /**
   * Opens (creating) the store; jobs left pending or running by a host that stopped are failed with
   * JOVIAN_E_JOB_INTERRUPTED. @throws JOVIAN_E_JOBS_STORE_FAILED
   */
  static open(file: string, retention: Retention, now = new Date()): JobStore {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.exec(`CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY, plugin TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL,
        created_at TEXT NOT NULL, ended_at TEXT, data TEXT NOT NULL)`);
      db.exec('CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at)');
      const store = new JobStore(db, retention);
      store.#sweepInterrupted(now);
      store.prune(now);
      return store;
    } catch (error) {
      throw storeError(`cannot open the jobs database ${file}`, error);
    }
  }

  save(job: JobInfo): void {
    try {
      this.#save.run({
        id: job.id,
        plugin: job.plugin,
        name: job.name,
        state: job.state,
        createdAt: job.createdAt,
        endedAt: job.endedAt,
        data: storable(job),
      });
    } catch (error) {
      throw storeError(`cannot save job ${job.id}`, error);
    }
  }

  get(id: string): JobInfo | undefined {
    const row = this.#db.prepare('SELECT data FROM jobs WHERE id = ?').get(id) as
      | { data: string }
      | undefined;
    return row ? (JSON.parse(row.data) as JobInfo) : undefined;
  }

  list(filter: JobFilter = {}): JobInfo[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.plugin !== undefined) {
      where.push('plugin = ?');
      args.push(filter.plugin);
    }
    if (filter.state !== undefined) {
      where.push('state = ?');
      args.push(filter.state);
    }
    const rows = this.#db
      .prepare(
        `SELECT data FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .all(...args, filter.limit ?? 100) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as JobInfo);
  }

  /** Every stored job, oldest first, one at a time (for NDJSON export). */
  *each(filter: Omit<JobFilter, 'limit'> = {}): Generator<JobInfo> {
    const rows = this.#db
      .prepare(
        `SELECT data FROM jobs WHERE (@plugin IS NULL OR plugin = @plugin) AND (@state IS NULL OR state = @state)
         ORDER BY created_at, rowid`,
      )
      .iterate({ plugin: filter.plugin ?? null, state: filter.state ?? null }) as Iterable<{ data: string }>;
    for (const row of rows) yield JSON.parse(row.data) as JobInfo;
  }

  /** Removes finished jobs older than the retention days, and beyond the retention count. */
  prune(now = new Date()): void {
    const cutoff = new Date(now.getTime() - this.#retention.days * 86_400_000).toISOString();
    this.#db.transaction(() => {
      this.#db.prepare(`DELETE FROM jobs WHERE state IN (${FINAL}) AND ended_at < ?`).run(cutoff);
      this.#db
        .prepare(
          `DELETE FROM jobs WHERE state IN (${FINAL}) AND id NOT IN (
             SELECT id FROM jobs WHERE state IN (${FINAL}) ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
        )
        .run(this.#retention.count);
    })();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #sweepInterrupted(now: Date): void {
    const left = this.#db.prepare("SELECT data FROM jobs WHERE state IN ('pending', 'running')").all() as {
      data: string;
    }[];
    if (left.length === 0) return;
    const error = errorToData(
      new JovianError('JOVIAN_E_JOB_INTERRUPTED', 'host stopped before the job ended', {
        hint: 'run the job again; jobs are not resumed after a restart',
      }),
    );
    this.#db.transaction(() => {
      for (const row of left) {
        const job = JSON.parse(row.data) as JobInfo;
        this.save({ ...job, state: 'failed', endedAt: now.toISOString(), error });
      }
    })();
  }
}

/**
 * The job as JSON. Params and results crossed as structured clones, which JSON cannot always hold (a
 * cycle, a bigint): such a value is stored as a note saying why, and the job itself is never lost.
 */
function storable(job: JobInfo): string {
  try {
    return JSON.stringify(job);
  } catch (error) {
    const note = (what: unknown) => {
      try {
        JSON.stringify(what);
        return what;
      } catch {
        return `[not storable as JSON: ${(error as Error).message}]`;
      }
    };
    return JSON.stringify({ ...job, params: note(job.params), result: note(job.result) });
  }
}

function storeError(what: string, cause: unknown): JovianError {
  return new JovianError('JOVIAN_E_JOBS_STORE_FAILED', `${what}: ${(cause as Error).message}`, {
    cause,
    hint: 'check free disk space and that the data directory is writable',
  });
}
