import { createHash } from 'node:crypto';

/** `prev_hash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a record's hash covers, in this order (`audit verify` names them). */
export const CHAINED_FIELDS = [
  'seq',
  'at',
  'plugin',
  'action',
  'target',
  'decision',
  'permission',
  'reason',
  'details',
  'prev_hash',
] as const;

export type ChainedField = (typeof CHAINED_FIELDS)[number];

/** One record as stored: every value a string, an integer or null (`details` is JSON text). */
export interface AuditRow {
  readonly seq: number;
  readonly at: string;
  readonly plugin: string;
  readonly action: string;
  readonly target: string;
  readonly decision: string;
  readonly permission: string | null;
  readonly reason: string;
  readonly details: string | null;
  readonly prev_hash: string;
  readonly hash: string;
  /** sha256 of each chained field (JSON object): lets `verify` name the field that was changed. */
  readonly field_digests: string;
}

type Chained = Pick<AuditRow, ChainedField>;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The hash of a record: sha256 (hex) of the JSON array of its chained fields in CHAINED_FIELDS order,
 * `details` as its stored JSON text. Anyone can recompute it from an export:
 * `sha256(JSON.stringify([seq, at, plugin, action, target, decision, permission, reason, details, prevHash]))`.
 */
export function hashOf(row: Chained): string {
  return sha256(JSON.stringify(CHAINED_FIELDS.map((field) => row[field])));
}

/** The digest of each chained field, as stored in `field_digests`. */
export function fieldDigests(row: Chained): string {
  return JSON.stringify(Object.fromEntries(CHAINED_FIELDS.map((f) => [f, sha256(JSON.stringify(row[f]))])));
}

/** JSON text with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** What broke the chain, at the first record that does not hold. */
export interface ChainProblem {
  /** The record that cannot be trusted (for `deleted`: the first one after the gap). */
  readonly seq: number;
  /**
   * `edited`: its content no longer matches its hash; `deleted`: records are missing before it (or
   * at the end: `seq` is then the last one kept); `reordered`: it was written at another place.
   */
  readonly kind: 'edited' | 'deleted' | 'reordered';
  /** For `edited`: the fields whose value changed (`hash` when only the hash was). */
  readonly fields: readonly string[];
  readonly message: string;
}

export interface ChainReport {
  readonly ok: boolean;
  /** Records read. */
  readonly records: number;
  /** The last record's seq and hash (null for an empty log): note it down to detect a rewrite later. */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly problem: ChainProblem | null;
}

/** What verification reads besides the rows. */
export interface ChainContext {
  /** The seq of the record whose hash is `hash`, if there is one (for telling a move from a loss). */
  seqOfHash(hash: string): number | undefined;
  /** The head the writer recorded with the last record, if any. */
  readonly head: { readonly seq: number; readonly hash: string } | undefined;
}

/**
 * Checks a chain from its first record, in seq order, and stops at the first problem. A record holds
 * when its hash matches its fields, its seq follows the one before, and its `prev_hash` is the hash
 * of the one before; the last one must match the head the writer recorded (records cut off the end).
 */
export function verifyChain(rows: Iterable<AuditRow>, context: ChainContext): ChainReport {
  let previous: AuditRow | undefined;
  let count = 0;
  const report = (problem: ChainProblem | null): ChainReport => ({
    ok: problem === null,
    records: count,
    head: previous ? { seq: previous.seq, hash: previous.hash } : null,
    problem,
  });
  for (const row of rows) {
    const problem = checkRow(row, previous, context);
    if (problem) return report(problem);
    previous = row;
    count++;
  }
  return report(checkHead(previous, context));
}

function checkRow(row: AuditRow, previous: AuditRow | undefined, context: ChainContext): ChainProblem | null {
  const expected = previous ? previous.seq + 1 : 1;
  if (hashOf(row) !== row.hash) {
    const fields = changedFields(row, previous);
    if (fields.length === 1 && fields[0] === 'seq') {
      const writtenAs = originalSeq(row, context);
      return {
        seq: row.seq,
        kind: 'reordered',
        fields,
        message:
          writtenAs === undefined
            ? `record #${row.seq} was written under another number: records were moved`
            : `record #${row.seq} was written as #${writtenAs}: records were moved or deleted`,
      };
    }
    return {
      seq: row.seq,
      kind: 'edited',
      fields,
      message: `record #${row.seq} was edited: ${fields.map((f) => `\`${f}\``).join(', ')} no longer match${fields.length === 1 ? 'es' : ''} its hash`,
    };
  }
  if (row.seq > expected)
    return {
      seq: row.seq,
      kind: 'deleted',
      fields: [],
      message: `${range(expected, row.seq - 1)} missing before record #${row.seq}`,
    };
  if (row.seq < expected)
    return {
      seq: row.seq,
      kind: 'reordered',
      fields: ['seq'],
      message: `record #${row.seq} comes after record #${expected - 1}`,
    };
  const link = previous ? previous.hash : GENESIS_HASH;
  if (row.prev_hash === link) return null;
  const chainedAfter = row.prev_hash === GENESIS_HASH ? 0 : context.seqOfHash(row.prev_hash);
  if (chainedAfter !== undefined && chainedAfter !== row.seq - 1)
    return {
      seq: row.seq,
      kind: 'reordered',
      fields: ['prev_hash'],
      message: `record #${row.seq} was written after record #${chainedAfter}, not after #${row.seq - 1}: records were moved`,
    };
  return {
    seq: row.seq,
    kind: 'deleted',
    fields: ['prev_hash'],
    message: `the record before #${row.seq} is not the one it was written after: it was deleted or replaced`,
  };
}

/** Candidates tried when looking for the number a moved record was written under. */
const MAX_SEQ_SEARCH = 1_000_000;

/**
 * The seq a moved record was written under: first the place after the record it was chained to,
 * then the numbers nearest to where it is now.
 */
function originalSeq(row: AuditRow, context: ChainContext): number | undefined {
  const holds = (seq: number) => seq > 0 && hashOf({ ...row, seq }) === row.hash;
  const after = row.prev_hash === GENESIS_HASH ? 0 : context.seqOfHash(row.prev_hash);
  if (after !== undefined && holds(after + 1)) return after + 1;
  const limit = Math.min(MAX_SEQ_SEARCH, Math.max(row.seq, context.head?.seq ?? 0) + 1);
  for (let distance = 1; distance <= limit; distance++) {
    if (holds(row.seq + distance)) return row.seq + distance;
    if (holds(row.seq - distance)) return row.seq - distance;
  }
  return undefined;
}

/** The fields whose digest differs from the stored one; the hash itself when none does. */
function changedFields(row: AuditRow, previous: AuditRow | undefined): string[] {
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(row.field_digests) as Record<string, string>;
  } catch {
    return ['field_digests', 'hash'];
  }
  const now = JSON.parse(fieldDigests(row)) as Record<string, string>;
  const changed = CHAINED_FIELDS.filter((field) => stored[field] !== now[field]);
  if (changed.length > 0) return changed;
  if (previous && row.prev_hash !== previous.hash) return ['prev_hash'];
  return ['hash'];
}

function checkHead(last: AuditRow | undefined, context: ChainContext): ChainProblem | null {
  const head = context.head;
  if (!head) {
    return last
      ? {
          seq: last.seq,
          kind: 'deleted',
          fields: [],
          message: 'the head marker of the log is missing: records may have been cut off the end',
        }
      : null;
  }
  if (!last)
    return {
      seq: 0,
      kind: 'deleted',
      fields: [],
      message: `${range(1, head.seq)} missing: the log is empty`,
    };
  if (head.seq > last.seq)
    return {
      seq: last.seq,
      kind: 'deleted',
      fields: [],
      message: `${range(last.seq + 1, head.seq)} missing after record #${last.seq}`,
    };
  if (head.seq !== last.seq || head.hash !== last.hash)
    return {
      seq: last.seq,
      kind: 'edited',
      fields: ['hash'],
      message: `record #${last.seq} is not the last record written (#${head.seq}): the end of the log was rewritten`,
    };
  return null;
}

const range = (from: number, to: number): string =>
  from === to ? `record #${from} is` : `records #${from}–#${to} are`;
