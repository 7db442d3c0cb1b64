import { existsSync } from 'node:fs';
import { dataDirLayout } from '../../config/index.js';
import { JovianError } from '../../errors.js';
import { defaultDataDir } from '../../host/index.js';
import { type AuditRecord, AuditStore } from '../../observability/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderTable } from '../output/table.js';

export interface AuditListOptions {
  readonly plugin?: string;
  readonly action?: string;
  readonly decision?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

const DEFAULT_LIMIT = 50;

/**
 * `jovian audit list`: the latest records (default 50), oldest first, filtered. Reads the database
 * read-only, so it works while `jovian serve` writes to it.
 */
export async function auditList(ctx: CliContext, options: AuditListOptions): Promise<ExitCode> {
  const query = {
    plugin: options.plugin,
    action: options.action,
    decision: decisionOf(options.decision),
    limit: limitOf(options.limit),
  };
  const records = withStore(ctx, (store) => store.query(query)) ?? [];
  if (options.json) {
    ctx.json({ records });
    return EXIT.OK;
  }
  if (records.length === 0) {
    ctx.line('no audit records match');
    return EXIT.OK;
  }
  ctx.line(
    renderTable(
      ['SEQ', 'AT', 'PLUGIN', 'ACTION', 'DECISION', 'TARGET', 'REASON'],
      records.map((r) => [String(r.seq), r.at, r.plugin, r.action, r.decision, r.target, describe(r)]),
    ),
  );
  return EXIT.OK;
}

/** `jovian audit export [--out file]`: every record as NDJSON, hashes included, oldest first. */
export async function auditExport(ctx: CliContext, options: { out?: string }): Promise<ExitCode> {
  const lines = withStore(ctx, (store) => [...store.all()].map((r) => JSON.stringify(r))) ?? [];
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  if (options.out === undefined) {
    if (text !== '') ctx.io.out(text);
    return EXIT.OK;
  }
  await writeFileAtomic(options.out, text, { mode: 0o600 });
  ctx.io.err(`${lines.length} records written to ${options.out}\n`);
  return EXIT.OK;
}

/**
 * `jovian audit verify`: checks the hash chain from the first record. Exit 0 when it holds; otherwise
 * JOVIAN_E_AUDIT_CHAIN_BROKEN naming the first record that does not (exit 1).
 */
export async function auditVerify(ctx: CliContext, options: { json?: boolean }): Promise<ExitCode> {
  const file = auditFile(ctx);
  const report = withStore(ctx, (store) => store.verify());
  if (!report) {
    if (options.json) ctx.json({ ok: true, records: 0, head: null, problem: null, file });
    else ctx.line(`no audit log at ${file} yet: nothing to verify`);
    return EXIT.OK;
  }
  if (options.json) {
    ctx.json({ ...report, file });
    return report.ok ? EXIT.OK : EXIT.FAILURE;
  }
  if (report.problem) {
    const from = report.problem.seq > 0 ? ` Records from #${report.problem.seq} on cannot be trusted.` : '';
    throw new JovianError(
      'JOVIAN_E_AUDIT_CHAIN_BROKEN',
      `audit log ${file}: ${report.problem.message} (${report.problem.kind}; ${report.records} records verified before it)`,
      {
        hint: `${from.trim()} Keep the file as evidence and restore it from a backup; \`jovian audit export\` shows every record with its hash.`.trim(),
      },
    );
  }
  ctx.line(
    report.head
      ? `audit log ok: ${report.records} records, chain intact; head #${report.head.seq} ${report.head.hash}`
      : 'audit log ok: no records yet',
  );
  return EXIT.OK;
}

function auditFile(ctx: CliContext): string {
  return dataDirLayout(ctx.options.dataDir ?? defaultDataDir()).auditDb;
}

/** Runs `read` on the database opened read-only; undefined when there is no database yet. */
function withStore<T>(ctx: CliContext, read: (store: AuditStore) => T): T | undefined {
  const file = auditFile(ctx);
  if (!existsSync(file)) return undefined;
  let store: AuditStore | undefined;
  try {
    store = AuditStore.openForReading(file);
    return read(store);
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_AUDIT_UNREADABLE',
      `cannot read the audit log ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    store?.close();
  }
}

function decisionOf(value: string | undefined): 'allow' | 'deny' | undefined {
  if (value === undefined || value === 'allow' || value === 'deny') return value;
  throw new JovianError('JOVIAN_E_CLI_USAGE', `--decision must be \`allow\` or \`deny\`, not \`${value}\``, {
    hint: 'for example: jovian audit list --decision deny',
  });
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (Number.isInteger(limit) && limit > 0) return limit;
  throw new JovianError('JOVIAN_E_CLI_USAGE', `--limit must be a whole number above 0, not \`${value}\``, {
    hint: 'for example: jovian audit list --limit 200',
  });
}

/** The reason, and a config change's keys with their values (secrets are already masked). */
function describe(record: AuditRecord): string {
  const changes = (record.details as { changes?: { key: string; from: unknown; to: unknown }[] } | null)
    ?.changes;
  if (!Array.isArray(changes) || changes.length === 0) return record.reason;
  const shown = changes.map(
    (c) => `${c.key}: ${JSON.stringify(c.from) ?? '—'} → ${JSON.stringify(c.to) ?? '—'}`,
  );
  return `${record.reason} (${shown.join('; ')})`;
}
