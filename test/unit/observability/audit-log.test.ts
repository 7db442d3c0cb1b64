import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AuditEntry, AuditLog, type AuditRecord } from '../../../src/observability/index.js';

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
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jovian-audit-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  describe('#record', () => {
    it('should number and timestamp each entry', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-01-02T03:04:05.000Z'));
      const audit = new AuditLog();
      audit.record(entry());
      audit.record(entry({ decision: 'deny', reason: 'no' }));
      expect(audit.recent()).toEqual([
        { seq: 1, at: '2026-01-02T03:04:05.000Z', ...entry() },
        { seq: 2, at: '2026-01-02T03:04:05.000Z', ...entry({ decision: 'deny', reason: 'no' }) },
      ]);
    });

    it('should keep only the latest 1000 records in memory', () => {
      const audit = new AuditLog();
      for (let i = 1; i <= 1005; i++) audit.record(entry({ target: `/f${i}` }));
      const kept = audit.recent();
      expect(kept).toHaveLength(1000);
      expect(kept[0]).toMatchObject({ seq: 6, target: '/f6' });
      expect(kept.at(-1)).toMatchObject({ seq: 1005, target: '/f1005' });
    });

    it('should not let a later change to the entry alter the record', () => {
      const audit = new AuditLog();
      const mutable = { ...entry() };
      audit.record(mutable);
      mutable.target = '/changed';
      expect(audit.recent()[0]!.target).toBe('/srv/a.txt');
      expect(Object.isFrozen(audit.recent()[0])).toBe(true);
    });

    it('should append one JSON line per record, in order, creating the folder', async () => {
      const file = join(dir, 'logs', 'nested', 'audit.jsonl');
      const audit = new AuditLog(file);
      audit.record(entry({ target: '/1' }));
      audit.record(entry({ target: '/2' }));
      await audit.flush();
      audit.record(entry({ target: '/3', permission: undefined }));
      await audit.flush();
      const lines = (await readFile(file, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l: AuditRecord) => [l.seq, l.target])).toEqual([
        [1, '/1'],
        [2, '/2'],
        [3, '/3'],
      ]);
      expect(lines[2]).not.toHaveProperty('permission');
      expect(audit.failedWrites).toBe(0);
    });

    it('should neither throw nor reject when the file cannot be written, and count the lost lines', async () => {
      const blocker = join(dir, 'not-a-folder');
      await writeFile(blocker, 'x');
      const unhandled = vi.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const audit = new AuditLog(join(blocker, 'audit.jsonl'));
        expect(() => audit.record(entry())).not.toThrow();
        audit.record(entry());
        await expect(audit.flush()).resolves.toBeUndefined();
        expect(audit.failedWrites).toBe(2);
        expect(audit.recent()).toHaveLength(2);
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });

    it('should try again after a failed write', async () => {
      const folder = join(dir, 'later');
      await writeFile(folder, 'in the way');
      const audit = new AuditLog(join(folder, 'audit.jsonl'));
      audit.record(entry({ target: '/lost' }));
      await audit.flush();
      await rm(folder);
      audit.record(entry({ target: '/kept' }));
      await audit.flush();
      const lines = (await readFile(join(folder, 'audit.jsonl'), 'utf8')).trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l).target)).toEqual(['/kept']);
      expect(audit.failedWrites).toBe(1);
    });
  });

  describe('#recent', () => {
    it('should filter by plugin, action, decision and permission', () => {
      const audit = new AuditLog();
      audit.record(entry());
      audit.record(
        entry({ plugin: 'web', action: 'http.fetch', permission: 'network_outbound', decision: 'deny' }),
      );
      audit.record(entry({ decision: 'deny' }));
      expect(audit.recent({ plugin: 'notes' }).map((r) => r.seq)).toEqual([1, 3]);
      expect(audit.recent({ decision: 'deny' }).map((r) => r.seq)).toEqual([2, 3]);
      expect(audit.recent({ plugin: 'notes', decision: 'deny' }).map((r) => r.seq)).toEqual([3]);
      expect(audit.recent({ action: 'http.fetch' }).map((r) => r.seq)).toEqual([2]);
      expect(audit.recent({ permission: 'fs_read' }).map((r) => r.seq)).toEqual([1, 3]);
    });

    it('should return a copy the caller may change', () => {
      const audit = new AuditLog();
      audit.record(entry());
      audit.recent().pop();
      expect(audit.recent()).toHaveLength(1);
    });
  });

  describe('#onRecord', () => {
    it('should tell listeners about each record until disposed', () => {
      const audit = new AuditLog();
      const seen: number[] = [];
      const subscription = audit.onRecord((record) => seen.push(record.seq));
      audit.record(entry());
      subscription.dispose();
      audit.record(entry());
      expect(seen).toEqual([1]);
    });

    it('should keep recording when a listener throws', () => {
      const audit = new AuditLog();
      const after = vi.fn();
      audit.onRecord(() => {
        throw new Error('listener bug');
      });
      audit.onRecord(after);
      expect(() => audit.record(entry())).not.toThrow();
      expect(after).toHaveBeenCalledOnce();
      expect(audit.recent()).toHaveLength(1);
    });
  });

  describe('#flush', () => {
    it('should resolve at once when there is no file', async () => {
      const audit = new AuditLog();
      audit.record(entry());
      await expect(audit.flush()).resolves.toBeUndefined();
    });
  });
});
