import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AuditEntry, AuditLog, GENESIS_HASH, hashOf } from '../../../src/observability/index.js';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  plugin: 'notes',
  action: 'fs.readFile',
  target: '/srv/a.txt',
  decision: 'allow',
  permission: 'fs_read',
  reason: 'granted by fs_read entry /srv',
  ...overrides,
});

describe('AuditLog', () => {
  let dir: string;
  const opened: AuditLog[] = [];
  const open = (file?: string) => {
    const log = new AuditLog(file);
    opened.push(log);
    return log;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jovian-audit-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const log of opened.splice(0)) log.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('#record', () => {
    it('should number, timestamp and chain each entry', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-01-02T03:04:05.000Z'));
      const audit = open();
      audit.record(entry());
      audit.record(entry({ decision: 'deny', reason: 'no' }));
      const [first, second] = audit.recent();
      expect(first).toMatchObject({ seq: 1, at: '2026-01-02T03:04:05.000Z', prevHash: GENESIS_HASH });
      expect(second).toMatchObject({ seq: 2, decision: 'deny', reason: 'no', prevHash: first!.hash });
      expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('should keep only the latest 1000 records in memory', () => {
      const audit = open();
      for (let i = 1; i <= 1005; i++) audit.record(entry({ target: `/f${i}` }));
      const kept = audit.recent();
      expect(kept).toHaveLength(1000);
      expect(kept[0]).toMatchObject({ seq: 6, target: '/f6' });
      expect(kept.at(-1)).toMatchObject({ seq: 1005, target: '/f1005' });
    });

    it('should not let a later change to the entry alter the record', () => {
      const audit = open();
      const mutable = { ...entry(), details: { changes: [{ key: 'a', from: 1, to: 2 }] } };
      audit.record(mutable);
      mutable.target = '/changed';
      mutable.details.changes[0]!.to = 3;
      expect(audit.recent()[0]).toMatchObject({ target: '/srv/a.txt', details: { changes: [{ to: 2 }] } });
      expect(Object.isFrozen(audit.recent()[0])).toBe(true);
    });

    it('should write records to the SQLite file, chained, with a hash anyone can recompute', async () => {
      const file = join(dir, 'nested', 'audit.db');
      const audit = open(file);
      audit.record(entry({ target: '/1' }));
      audit.record(entry({ target: '/2', permission: undefined, details: { b: 1, a: [true] } }));
      await audit.flush();
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Record<string, unknown>[];
      db.close();
      expect(rows.map((r) => [r.seq, r.target, r.permission, r.details])).toEqual([
        [1, '/1', 'fs_read', null],
        [2, '/2', null, '{"a":[true],"b":1}'],
      ]);
      const second = rows[1]!;
      expect(second.prev_hash).toBe(rows[0]!.hash);
      expect(second.hash).toBe(hashOf(second as never));
    });

    it('should continue the chain of an earlier run, and of another writer of the same file', async () => {
      const file = join(dir, 'audit.db');
      const first = open(file);
      first.record(entry({ target: '/a' }));
      await first.flush();
      first.close();
      const second = open(file);
      const third = open(file);
      second.record(entry({ target: '/b' }));
      await second.flush();
      third.record(entry({ target: '/c' }));
      await third.flush();
      expect(second.query().map((r) => [r.seq, r.target])).toEqual([
        [1, '/a'],
        [2, '/b'],
        [3, '/c'],
      ]);
      expect(second.verify()).toMatchObject({ ok: true, records: 3, head: { seq: 3 } });
    });

    it('should neither throw nor reject when the file cannot be written, and write once it can', async () => {
      const blocker = join(dir, 'not-a-folder');
      await writeFile(blocker, 'x');
      const unhandled = vi.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const audit = open(join(blocker, 'audit.db'));
        expect(() => audit.record(entry())).not.toThrow();
        audit.record(entry());
        await expect(audit.flush()).resolves.toBeUndefined();
        expect(audit.writeError).toBeInstanceOf(Error);
        expect(audit.recent()).toHaveLength(0);
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).not.toHaveBeenCalled();
        await rm(blocker);
        await audit.flush();
        expect(audit.recent().map((r) => r.seq)).toEqual([1, 2]);
        expect(audit.failedWrites).toBe(0);
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });
  });

  describe('#query', () => {
    it('should filter by plugin, action, decision and permission, and keep the latest `limit`', () => {
      const audit = open(join(dir, 'audit.db'));
      audit.record(entry());
      audit.record(
        entry({ plugin: 'web', action: 'http.fetch', permission: 'network_outbound', decision: 'deny' }),
      );
      audit.record(entry({ decision: 'deny' }));
      expect(audit.query({ plugin: 'notes' }).map((r) => r.seq)).toEqual([1, 3]);
      expect(audit.query({ decision: 'deny' }).map((r) => r.seq)).toEqual([2, 3]);
      expect(audit.query({ plugin: 'notes', decision: 'deny' }).map((r) => r.seq)).toEqual([3]);
      expect(audit.query({ action: 'http.fetch' }).map((r) => r.seq)).toEqual([2]);
      expect(audit.query({ permission: 'fs_read' }).map((r) => r.seq)).toEqual([1, 3]);
      expect(audit.query({ limit: 2 }).map((r) => r.seq)).toEqual([2, 3]);
      expect(audit.recent({ plugin: 'web' }).map((r) => r.seq)).toEqual([2]);
    });
  });

  describe('#onRecord', () => {
    it('should tell listeners about each record once written, until disposed', async () => {
      const audit = open();
      const seen: number[] = [];
      const subscription = audit.onRecord((record) => seen.push(record.seq));
      audit.record(entry());
      await audit.flush();
      subscription.dispose();
      audit.record(entry());
      await audit.flush();
      expect(seen).toEqual([1]);
    });

    it('should keep recording when a listener throws', async () => {
      const audit = open();
      const after = vi.fn();
      audit.onRecord(() => {
        throw new Error('listener bug');
      });
      audit.onRecord(after);
      expect(() => audit.record(entry())).not.toThrow();
      await audit.flush();
      expect(after).toHaveBeenCalledOnce();
      expect(audit.recent()).toHaveLength(1);
    });
  });
});
