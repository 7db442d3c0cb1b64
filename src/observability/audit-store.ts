import { chmodSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { PermissionName } from '../types.js';
import {
  type AuditRow,
  type ChainReport,
  canonicalJson,
  fieldDigests,
  GENESIS_HASH,
  hashOf,
  verifyChain,
} from './audit-chain.js';
import type { AuditEntry, AuditQuery, AuditRecord } from './audit-entry.js';

type Database = BetterSqlite3.Database;

/** An entry waiting to be written, with the time it was recorded. */
export interface PendingEntry {
  readonly at: string;
  readonly entry: AuditEntry;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  plugin TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  decision TEXT NOT NULL,
  permission TEXT,
  reason TEXT NOT NULL,
  details TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  field_digests TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_plugin ON audit (plugin, seq);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, seq);
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records cannot be deleted'); END;
`;

/** How long a write waits for another process's write (ms) before it is tried again later. */
const BUSY_TIMEOUT_MS = 2_000;

/** Rows read at a time when walking the whole log. */
const PAGE = 500;

const requireCjs = createRequire(import.meta.url);

/** The row of an entry that follows `previous` (null: the first record). */
export function chainRow(pending: PendingEntry, previous: { seq: number; hash: string } | null): AuditRow {
  const { entry, at } = pending;
  const base = {
    seq: previous ? previous.seq + 1 : 1,
    at,
    plugin: String(entry.plugin),
    action: String(entry.action),
    target: String(entry.target),
    decision: entry.decision === 'allow' ? 'allow' : 'deny',
    permission: entry.permission ?? null,
    reason: String(entry.reason),
    details: entry.details === undefined ? null : (canonicalJson(entry.details) ?? null),
    prev_hash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...base, hash: hashOf(base), field_digests: fieldDigests(base) };
}

/** A stored row as the API and the CLI show it. */
export function toRecord(row: AuditRow): AuditRecord {
  let details: unknown = null;
  if (row.details !== null) {
    try {
      details = JSON.parse(row.details);
    } catch {
      details = row.details;
    }
  }
  return Object.freeze({
    seq: row.seq,
    at: row.at,
    plugin: row.plugin,
    action: row.action,
    target: row.target,
    decision: row.decision as AuditRecord['decision'],
    permission: row.permission as PermissionName | null,
    reason: row.reason,
    details,
    prevHash: row.prev_hash,
    hash: row.hash,
  });
}

/**
 * The audit records of a data directory in one SQLite file (WAL mode, so a reader — `jovian audit
 * list` — works while a server writes). Append-only: triggers refuse UPDATE and DELETE, and each
 * record is chained to the one before by its hash. Several processes may append: each batch takes the
 * write lock, reads the head and appends after it, in one transaction.
 */
export class AuditStore {
  readonly #db: Database;
  readonly file: string;

  private constructor(db: Database, file: string) {
    this.#db = db;
    this.file = file;
  }

  /**
   * Opens (creating it, mode 0600) the store for writing.
   * @throws the SQLite error when the file cannot be opened or is not an audit database.
   */
  static openForWriting(file: string): AuditStore {
    mkdirSync(dirname(file), { recursive: true });
    const Sqlite = requireCjs('better-sqlite3') as typeof BetterSqlite3;
    const db = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      // Every committed batch is on disk: an audit record must survive a power cut.
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      throw error;
    }
    return new AuditStore(db, file);
  }

  /** Opens an existing store read-only (works while another process writes). @throws when absent. */
  static openForReading(file: string): AuditStore {
    const Sqlite = requireCjs('better-sqlite3') as typeof BetterSqlite3;
    const db = new Sqlite(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    return new AuditStore(db, file);
  }

  /** Appends entries after the current head, in one transaction; returns them as stored. */
  append(entries: readonly PendingEntry[]): AuditRecord[] {
    const readHead = this.#db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_head WHERE id = 1',
    );
    const insert = this.#db.prepare(
      `INSERT INTO audit (seq, at, plugin, action, target, decision, permission, reason, details, prev_hash, hash, field_digests)
       VALUES (@seq, @at, @plugin, @action, @target, @decision, @permission, @reason, @details, @prev_hash, @hash, @field_digests)`,
    );
    const writeHead = this.#db.prepare(
      'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
    const write = this.#db.transaction((batch: readonly PendingEntry[]) => {
      let head: { seq: number; hash: string } | null = readHead.get() ?? null;
      const rows: AuditRow[] = [];
      for (const pending of batch) {
        const row = chainRow(pending, head);
        insert.run(row);
        rows.push(row);
        head = { seq: row.seq, hash: row.hash };
      }
      if (head) writeHead.run(head.seq, head.hash);
      return rows;
    });
    return write.immediate(entries).map(toRecord);
  }

  /** The latest `limit` records matching the filter (default 100), oldest first. */
  query(query: AuditQuery = {}): AuditRecord[] {
    const where: string[] = [];
    const values: (string | number)[] = [];
    for (const field of ['plugin', 'action', 'decision', 'permission'] as const) {
      const value = query[field];
      if (value === undefined) continue;
      where.push(`${field} = ?`);
      values.push(value);
    }
    const limit = query.limit ?? 100;
    const sql = `SELECT * FROM audit ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.#db.prepare<unknown[], AuditRow>(sql).all(...values, limit);
    return rows.reverse().map(toRecord);
  }

  /** Every record, oldest first, one at a time (for export). */
  *all(): Generator<AuditRecord> {
    for (const row of this.#rows()) yield toRecord(row);
  }

  /** Checks the whole chain (see verifyChain), reading one row at a time. */
  verify(): ChainReport {
    const bySeq = this.#db.prepare<[string], { seq: number }>('SELECT seq FROM audit WHERE hash = ?');
    const head = this.#db
      .prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')
      .get();
    return verifyChain(this.#rows(), {
      seqOfHash: (hash) => bySeq.get(hash)?.seq,
      head,
    });
  }

  /**
   * Every row in seq order, read a page at a time: no statement stays open between pages, so other
   * queries (verify's look-ups) can run while the rows are walked.
   */
  *#rows(): Generator<AuditRow> {
    const page = this.#db.prepare<[number], AuditRow>(
      `SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`,
    );
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = page.all(after);
      yield* rows;
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
