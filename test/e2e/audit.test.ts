/**
 * The audit log as an operator uses it: real `jovian` processes record what they change, `jovian audit`
 * lists, exports and verifies it — also while `jovian serve` writes to it — and a record edited or
 * deleted directly in the SQLite file is named by `audit verify`.
 */
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiAuditList, ApiAuditRecord } from '../../src/server/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { jovian } from './cli-helpers.js';
import { startServe } from './serve-process.js';

describe('jovian audit', () => {
  let fixture: Fixture;
  let cli: (...args: string[]) => ReturnType<typeof jovian>;
  let db: string;

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('notes', {
      manifest: {
        config_schema: {
          version: 1,
          schema: {
            type: 'object',
            properties: {
              retries: { type: 'integer', default: 1 },
              token: { type: 'string', format: 'password' },
            },
          },
        },
      },
    });
    db = join(fixture.dataDir, 'audit.db');
    cli = (...args) => jovian(['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir, ...args]);
  });
  afterAll(() => fixture.cleanup());

  const listed = async (...args: string[]) => {
    const result = await cli('audit', 'list', '--json', ...args);
    expect(result.code, result.stderr).toBe(0);
    return result.json<ApiAuditList>().records;
  };

  it('should record enable, disable and config changes with their diff, secrets masked', async () => {
    expect((await cli('plugins', 'disable', 'notes')).code).toBe(0);
    expect((await cli('plugins', 'enable', 'notes')).code).toBe(0);
    expect((await cli('config', 'set', 'notes', 'retries', '3')).code).toBe(0);
    expect((await cli('config', 'set', 'notes', 'token', 's3cret')).code).toBe(0);
    expect((await cli('config', 'set', 'notes', 'retries', 'many')).code).toBe(4);

    const records = await listed();
    expect(records.map((r) => [r.seq, r.action, r.decision])).toEqual([
      [1, 'plugin.disable', 'allow'],
      [2, 'plugin.enable', 'allow'],
      [3, 'config.set', 'allow'],
      [4, 'config.set', 'allow'],
      [5, 'config.set', 'deny'],
    ]);
    expect(records[2]!.details).toEqual({ changes: [{ key: 'retries', from: 1, to: 3 }] });
    expect(records[3]!.details).toEqual({ changes: [{ key: 'token', to: '••••' }] });
    expect(JSON.stringify(records)).not.toContain('s3cret');
    expect(records[4]!.reason).toMatch(/refused: `retries` must be an integer/);
    expect((await listed('--decision', 'deny')).map((r) => r.seq)).toEqual([5]);
    expect((await listed('--action', 'plugin.enable', '--plugin', 'notes')).map((r) => r.seq)).toEqual([2]);
    expect((await listed('--limit', '2')).map((r) => r.seq)).toEqual([4, 5]);

    const bad = await cli('audit', 'list', '--limit', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit must be a whole number above 0');
  }, 60_000);

  it('should verify and export the chain, and continue it across runs and while a server writes', async () => {
    const verified = await cli('audit', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/audit log ok: 5 records, chain intact; head #5 [0-9a-f]{64}/);

    const serve = await startServe(['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir]);
    try {
      const headers = { authorization: `Bearer ${serve.token}` };
      const disabled = await fetch(`${serve.base}/api/plugins/notes/disable`, { method: 'POST', headers });
      expect(disabled.status).toBe(200);
      const put = await fetch(`${serve.base}/api/plugins/notes/config`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ values: { retries: 5 } }),
      });
      expect(put.status).toBe(200);

      // Read-only, in another process, while the server holds the database open.
      const whileServing = await listed('--plugin', 'notes');
      expect(whileServing.slice(-2).map((r) => [r.seq, r.action])).toEqual([
        [6, 'plugin.disable'],
        [7, 'config.set'],
      ]);
      expect((await cli('audit', 'verify')).code).toBe(0);

      const api = await fetch(`${serve.base}/api/audit?plugin=notes&action=config.set&limit=2`, { headers });
      const body = (await api.json()) as ApiAuditList;
      expect(body.records.map((r) => [r.seq, r.details])).toEqual([
        [5, { keys: ['retries'] }],
        [7, { changes: [{ key: 'retries', from: 3, to: 5 }] }],
      ]);
      expect((await fetch(`${serve.base}/api/audit`)).status).toBe(401);
      const refused = await fetch(`${serve.base}/api/audit?decision=perhaps`, { headers });
      expect(refused.status).toBe(400);
    } finally {
      expect(await serve.stop()).toBe(0);
    }

    expect((await cli('plugins', 'enable', 'notes')).code).toBe(0);
    const exported = await cli('audit', 'export');
    const lines = exported.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as ApiAuditRecord);
    expect(lines.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.prevHash).toBe(lines[i - 1]!.hash);
    expect((await cli('audit', 'verify')).code).toBe(0);
  }, 90_000);

  it('should name a record edited in the SQLite file, and one deleted', async () => {
    const backup = join(fixture.root, 'backup.db');
    const copy = new Database(db);
    await copy.backup(backup);
    copy.close();

    tamper(db, "UPDATE audit SET reason = 'requested by nobody' WHERE seq = 2");
    const edited = await cli('audit', 'verify');
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain('record #2 was edited: `reason` no longer matches its hash');
    expect(edited.stderr).toContain('[JOVIAN_E_AUDIT_CHAIN_BROKEN]');
    expect(edited.stderr).toContain('Records from #2 on cannot be trusted');
    const json = await cli('audit', 'verify', '--json');
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ ok: false, problem: { seq: 2, kind: 'edited', fields: ['reason'] } });

    await restore(backup, db);
    expect((await cli('audit', 'verify')).code).toBe(0);
    tamper(db, 'DELETE FROM audit WHERE seq = 3');
    const deleted = await cli('audit', 'verify');
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('record #3 is missing before record #4 (deleted');
  }, 60_000);
});

/** What someone with write access to the file can do: drop the guards, then change rows. */
function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.exec(sql);
  db.close();
}

async function restore(backup: string, file: string): Promise<void> {
  await rm(`${file}-wal`, { force: true });
  await rm(`${file}-shm`, { force: true });
  await copyFile(backup, file);
}
