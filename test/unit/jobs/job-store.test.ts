import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../../src/jobs/index.js';
import type { JobInfo } from '../../../src/types.js';

const job = (id: string, overrides: Partial<JobInfo> = {}): JobInfo => ({
  id,
  plugin: 'reports',
  name: 'build',
  params: {},
  state: 'completed',
  progress: 100,
  message: null,
  etaSeconds: null,
  submittedBy: 'test',
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.000Z',
  timeoutMs: 1000,
  result: null,
  error: null,
  ...overrides,
});

describe('JobStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jovian-jobs-'));
    file = join(dir, 'data', 'jobs.db');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should keep jobs across openings and fail those a stopped host left running', () => {
    const store = JobStore.open(file, { days: 30, count: 10 }, new Date('2026-01-02T00:00:00Z'));
    store.save(job('a'));
    store.save(job('b', { state: 'running', endedAt: null, createdAt: '2026-01-01T00:00:02.000Z' }));
    store.close();
    const again = JobStore.open(file, { days: 30, count: 10 }, new Date('2026-01-02T00:00:00Z'));
    expect(again.get('a')).toEqual(job('a'));
    expect(again.get('b')).toMatchObject({
      state: 'failed',
      endedAt: '2026-01-02T00:00:00.000Z',
      error: { code: 'JOVIAN_E_JOB_INTERRUPTED' },
    });
    expect(again.list().map((j) => j.id)).toEqual(['b', 'a']);
    again.close();
  });

  it('should forget finished jobs past the retention days and beyond the retention count, never live ones', () => {
    const store = JobStore.open(file, { days: 1, count: 2 }, new Date('2026-01-01T12:00:00Z'));
    // Created one after the other; `old` ended a month before the others.
    const ended: [string, string][] = [
      ['old', '2025-12-01T00:00:01.000Z'],
      ['x', '2026-01-01T00:00:01.000Z'],
      ['y', '2026-01-01T00:00:02.000Z'],
      ['z', '2026-01-01T00:00:03.000Z'],
    ];
    for (const [i, [id, endedAt]] of ended.entries())
      store.save(job(id, { createdAt: `2025-11-0${i + 1}T00:00:00.000Z`, endedAt }));
    store.save(job('live', { state: 'running', endedAt: null, createdAt: '2025-01-01T00:00:00.000Z' }));
    store.prune(new Date('2026-01-01T12:00:00Z'));
    expect(
      store
        .list()
        .map((j) => j.id)
        .sort(),
    ).toEqual(['live', 'y', 'z']);
    store.close();
  });

  it('should store a job whose result JSON cannot hold, with a note in its place', () => {
    const store = JobStore.open(file, { days: 30, count: 10 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    store.save(job('c', { result: cyclic, params: { size: 10n } as never }));
    expect(store.get('c')).toMatchObject({
      state: 'completed',
      result: expect.stringContaining('not storable as JSON'),
      params: expect.stringContaining('not storable as JSON'),
    });
    store.close();
  });

  it('should say which file it cannot open, with a hint', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const where = join(blocker, 'jobs.db');
    let thrown: unknown;
    try {
      JobStore.open(where, { days: 1, count: 1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'JOVIAN_E_JOBS_STORE_FAILED',
      message: expect.stringContaining(where),
      hint: expect.stringContaining('writable'),
    });
  });
});
