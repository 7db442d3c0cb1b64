import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost, type JobInfo, type PluginHost } from '../../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

/** A plugin whose `steps` job reports one step per `tick()` from the test, honouring its signal. */
const STEPPER = `
const waiting = [];
export function tick() { for (const resolve of waiting.splice(0)) resolve(); }
globalThis.__stepperTick = tick;
export default { async activate(ctx) {
  await ctx.jobs.register('steps', async (params, job) => {
    for (let i = 1; i <= params.steps; i++) {
      await new Promise((resolve) => waiting.push(resolve));
      if (job.signal.aborted) throw job.signal.reason;
      await job.updateProgress(Math.round((i * 100) / params.steps), 'step ' + i, params.steps - i);
    }
    return { built: params.steps, sameJob: (await ctx.jobs.current())?.id === job.id };
  });
  await ctx.jobs.register('stubborn', async (params, job) => {
    await new Promise((resolve) => waiting.push(resolve));
    await job.updateProgress(50, 'ignoring the signal');
    return 'late';
  });
  await ctx.jobs.register('fails', async () => { throw new Error('the disk is full'); });
  await ctx.jobs.register('spawns', async () => ctx.jobs.submit('fails', {}));
} };`;

describe('HostJobs', () => {
  let fixture: Fixture;
  let host: PluginHost;
  const seen: { topic: string; job: JobInfo }[] = [];

  beforeEach(async () => {
    fixture = await createFixture();
    seen.length = 0;
  });
  afterEach(async () => {
    await host?.stop();
    await fixture.cleanup();
  });

  async function start(jobs: Record<string, unknown> = {}) {
    await fixture.add('stepper', {
      manifest: {
        contributes: {
          jobs: {
            max_concurrent: 1,
            ...jobs,
            handlers: [
              {
                name: 'steps',
                params: {
                  type: 'object',
                  required: ['steps'],
                  properties: { steps: { type: 'integer', minimum: 1 } },
                },
              },
              { name: 'stubborn' },
              { name: 'fails' },
              { name: 'spawns' },
            ],
          },
        },
      },
      code: STEPPER,
    });
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
    });
    host.events.subscribe('job.**', (event) => {
      seen.push({ topic: event.topic, job: event.payload as JobInfo });
    });
    await host.start();
  }
  const tick = () => (globalThis as { __stepperTick?: () => void }).__stepperTick?.();
  /** Ticks the plugin until `id` is in `state` (or fails after many ticks). */
  async function until(id: string, states: string[], ticks = true): Promise<JobInfo> {
    for (let i = 0; i < 2000; i++) {
      const job = host.jobs.get(id);
      if (states.includes(job.state)) return job;
      if (ticks) tick();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`job ${id} is ${host.jobs.get(id).state}, not ${states.join('/')}`);
  }

  it('should run a declared job in its plugin, activating it, with progress events and its result', async () => {
    await start();
    expect(host.record('stepper')?.state).toBe('resolved');
    const job = await host.jobs.submit('stepper', 'steps', { steps: 3 }, 'test');
    expect(job.state).toBe('running'); // a slot was free: it started at once
    const done = await until(job.id, ['completed']);
    expect(done).toMatchObject({ progress: 100, result: { built: 3, sameJob: true }, error: null });
    expect(host.record('stepper')?.outcome.activatedBy).toBe('onJob:steps');
    await host.events.flush();
    const progress = seen.filter((e) => e.topic === 'job.progress' && e.job.id === job.id);
    expect(progress.map((e) => [e.job.progress, e.job.message, e.job.etaSeconds])).toEqual([
      [33, 'step 1', 2],
      [67, 'step 2', 1],
      [100, 'step 3', 0],
    ]);
    expect(seen.filter((e) => e.job.id === job.id).map((e) => e.topic)).toEqual([
      'job.queued',
      'job.started',
      'job.progress',
      'job.progress',
      'job.progress',
      'job.completed',
    ]);
  });

  it('should refuse an undeclared job, invalid params and an unknown plugin, naming what to fix', async () => {
    await start();
    await expect(host.jobs.submit('stepper', 'nope', {}, 'test')).rejects.toMatchObject({
      code: 'JOVIAN_E_JOB_UNDECLARED',
      message: expect.stringContaining('`steps`'),
    });
    await expect(host.jobs.submit('stepper', 'steps', { steps: 0 }, 'test')).rejects.toMatchObject({
      code: 'JOVIAN_E_JOB_PARAMS_INVALID',
      message: expect.stringContaining('params.steps'),
    });
    await expect(host.jobs.submit('ghost', 'steps', {}, 'test')).rejects.toMatchObject({
      code: 'JOVIAN_E_PLUGIN_NOT_FOUND',
    });
    expect(() => host.jobs.get('000000000000')).toThrow(
      expect.objectContaining({ code: 'JOVIAN_E_JOB_NOT_FOUND' }),
    );
  });

  it('should queue jobs beyond max_concurrent and start them in order', async () => {
    await start();
    const first = await host.jobs.submit('stepper', 'steps', { steps: 2 }, 'test');
    const second = await host.jobs.submit('stepper', 'steps', { steps: 1 }, 'test');
    await until(first.id, ['running'], false);
    expect(host.jobs.get(second.id).state).toBe('pending');
    await until(first.id, ['completed']);
    expect((await until(second.id, ['completed'])).result).toMatchObject({ built: 1 });
  });

  it('should cancel a running job through its signal, and a pending one at once', async () => {
    await start();
    const running = await host.jobs.submit('stepper', 'steps', { steps: 50 }, 'test');
    const waiting = await host.jobs.submit('stepper', 'steps', { steps: 1 }, 'test');
    await until(running.id, ['running'], false);
    expect(host.jobs.cancel(waiting.id).state).toBe('cancelled');
    while (host.jobs.get(running.id).progress < 10) {
      tick();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const before = host.jobs.get(running.id).progress;
    host.jobs.cancel(running.id);
    const cancelled = await until(running.id, ['cancelled']);
    expect(cancelled.error?.code).toBe('JOVIAN_E_CANCELLED');
    expect(cancelled.progress - before).toBeLessThanOrEqual(2);
    expect(() => host.jobs.cancel(running.id)).toThrow(
      expect.objectContaining({ code: 'JOVIAN_E_JOB_FINISHED' }),
    );
  });

  it('should end a job past its deadline timed_out and ignore what its handler does afterwards', async () => {
    await start({ default_timeout: 0.05 });
    const job = await host.jobs.submit('stepper', 'stubborn', {}, 'test');
    const timedOut = await until(job.id, ['timed_out'], false);
    expect(timedOut.error?.code).toBe('JOVIAN_E_JOB_TIMEOUT');
    tick();
    await host.events.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(host.jobs.get(job.id)).toMatchObject({ state: 'timed_out', result: null, progress: 0 });
  });

  it('should let a plugin submit its own jobs, and open the breaker after failing jobs, refusing new ones', async () => {
    await start();
    const parent = await host.jobs.submit('stepper', 'spawns', {}, 'test');
    const child = (await until(parent.id, ['completed'], false)).result as string;
    expect(host.jobs.get(child).submittedBy).toBe('stepper');
    const failed = await until(child, ['failed'], false);
    expect(failed.error).toMatchObject({
      code: 'JOVIAN_E_JOB_HANDLER_FAILED',
      message: expect.stringContaining('the disk is full'),
    });
    for (let i = 0; i < 4; i++) {
      const job = await host.jobs.submit('stepper', 'fails', {}, 'test');
      await until(job.id, ['failed'], false);
    }
    await expect(host.jobs.submit('stepper', 'steps', { steps: 1 }, 'test')).rejects.toMatchObject({
      code: 'JOVIAN_E_CIRCUIT_OPEN',
    });
  });

  it('should keep the history across a restart and fail the jobs the host left running', async () => {
    await start();
    const done = await host.jobs.submit('stepper', 'steps', { steps: 1 }, 'test');
    await until(done.id, ['completed']);
    const left = await host.jobs.submit('stepper', 'steps', { steps: 99 }, 'test');
    await until(left.id, ['running'], false);
    await host.stop();
    host = createHost({ pluginDirs: [fixture.pluginsDir], dataDir: fixture.dataDir, isolation: AS_DECLARED });
    await host.start();
    expect(host.jobs.get(done.id)).toMatchObject({ state: 'completed', result: { built: 1 } });
    expect(host.jobs.get(left.id)).toMatchObject({
      state: 'failed',
      error: { code: 'JOVIAN_E_JOB_INTERRUPTED', message: 'host stopped before the job ended' },
    });
    expect(host.jobs.list({ plugin: 'stepper' }).map((j) => j.id)).toEqual([left.id, done.id]);
    expect(join(fixture.dataDir, 'jobs.db')).toBeTruthy();
  });
});
