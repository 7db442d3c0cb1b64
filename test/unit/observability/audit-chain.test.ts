import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, AuditStore } from '../../../src/observability/index.js';

/** Writes five records, then lets the test change the file as someone with write access could. */
describe('AuditStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jovian-chain-'));
    file = join(dir, 'audit.db');
    const log = new AuditLog(file);
    for (let i = 1; i <= 5; i++)
      log.record({
        plugin: 'notes',
        action: 'config.set',
        target: `key${i}`,
        decision: 'allow',
        reason: 'by the operator',
        details: { changes: [{ key: `key${i}`, from: i - 1, to: i }] },
      });
    await log.flush();
    log.close();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const tamper = (sql: string) => {
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
    db.exec(sql);
    db.close();
  };
  const verify = () => {
    const store = AuditStore.openForReading(file);
    try {
      return store.verify();
    } finally {
      store.close();
    }
  };

  describe('#verify', () => {
    it('should hold for an untouched log and give its head', () => {
      const report = verify();
      expect(report).toMatchObject({ ok: true, records: 5, problem: null, head: { seq: 5 } });
    });

    it('should refuse UPDATE and DELETE through SQL while its triggers are in place', () => {
      const db = new Database(file);
      expect(() => db.exec("UPDATE audit SET reason = 'x' WHERE seq = 2")).toThrow(/cannot be changed/);
      expect(() => db.exec('DELETE FROM audit WHERE seq = 2')).toThrow(/cannot be deleted/);
      db.close();
      expect(verify().ok).toBe(true);
    });

    it('should name the record and the field that was edited', () => {
      tamper(`UPDATE audit SET details = replace(details, '"to":3', '"to":4') WHERE seq = 3`);
      expect(verify()).toMatchObject({
        ok: false,
        records: 2,
        problem: { seq: 3, kind: 'edited', fields: ['details'] },
      });
    });

    it('should name the hash when only the hash was rewritten', () => {
      tamper(`UPDATE audit SET hash = '${'f'.repeat(64)}' WHERE seq = 2`);
      expect(verify().problem).toMatchObject({ seq: 2, kind: 'edited', fields: ['hash'] });
    });

    it('should name the gap a deleted record leaves', () => {
      tamper('DELETE FROM audit WHERE seq = 3');
      expect(verify().problem).toMatchObject({
        seq: 4,
        kind: 'deleted',
        message: 'record #3 is missing before record #4',
      });
    });

    it('should notice the first record deleted', () => {
      tamper('DELETE FROM audit WHERE seq = 1');
      expect(verify().problem).toMatchObject({ seq: 2, kind: 'deleted' });
    });

    it('should notice records cut off the end', () => {
      tamper('DELETE FROM audit WHERE seq >= 4');
      expect(verify().problem).toMatchObject({
        seq: 3,
        kind: 'deleted',
        message: 'records #4–#5 are missing after record #3',
      });
    });

    it('should notice a deletion hidden by renumbering the records after it', () => {
      tamper('DELETE FROM audit WHERE seq = 3; UPDATE audit SET seq = seq - 1 WHERE seq > 3;');
      expect(verify().problem).toMatchObject({ seq: 3, kind: 'reordered' });
    });

    it('should notice two records swapped', () => {
      tamper(`UPDATE audit SET seq = 100 WHERE seq = 2;
              UPDATE audit SET seq = 2 WHERE seq = 3;
              UPDATE audit SET seq = 3 WHERE seq = 100;`);
      expect(verify().problem).toMatchObject({
        seq: 2,
        kind: 'reordered',
        message: 'record #2 was written as #3: records were moved or deleted',
      });
    });
  });
});
