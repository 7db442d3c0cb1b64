/**
 * One conformance suite, run against every runtime that executes JavaScript plugins: the same plugin
 * code must behave the same in-process, in a worker and in a child process. Hostile behaviours are
 * tested on the tiers that can contain them; every skip says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AsyncParallelHook,
  AsyncSeriesBailHook,
  AsyncSeriesHook,
  AsyncSeriesWaterfallHook,
  createHost,
  type PluginHost,
  type RuntimeKind,
  SyncSeriesHook,
} from '../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { HOSTILE, PEER, PROBE } from './fixtures.js';

const hooks = () => ({
  series: new AsyncSeriesHook<[number]>({ name: 'series' }),
  bail: new AsyncSeriesBailHook<[string], { answer: string }>({ name: 'bail' }),
  waterfall: new AsyncSeriesWaterfallHook<string>({ name: 'waterfall' }),
  parallel: new AsyncParallelHook<[]>({ name: 'parallel' }),
  sync: new SyncSeriesHook<[]>({ name: 'sync' }),
});
type Hooks = ReturnType<typeof hooks>;

const RUNTIMES: RuntimeKind[] = ['inprocess', 'worker', 'process'];
const isolated = (runtime: RuntimeKind) => runtime !== 'inprocess';

describe.each(RUNTIMES)('runtime %s', (runtime) => {
  let fixture: Fixture;
  let host: PluginHost<Hooks>;

  beforeAll(async () => {
    fixture = await createFixture();
    const common = { runtime, engines: { jovian: '*' } };
    await fixture.add('probe', {
      manifest: {
        ...common,
        dependencies: [{ id: 'peer' }],
        contributes: {
          hooks: ['series', 'bail', 'waterfall', 'parallel'],
          events: { emit: ['probe.out'], subscribe: ['probe.in'] },
          commands: [{ name: 'probe' }],
        },
        config_schema: {
          version: 1,
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: { level: { type: 'integer', minimum: 1, maximum: 9, default: 1 } },
          },
        },
        limits: { timeout_ms: 3_000 },
      },
      code: PROBE,
    });
    await fixture.add('peer', { manifest: common, code: PEER });
    await fixture.add('slow', {
      manifest: { ...common, limits: { timeout_ms: 1_500 } },
      code: 'export default { run: (input) => new Promise((resolve) => setTimeout(() => resolve("late"), input.ms)) };',
    });
    await fixture.add('syncer', {
      manifest: { ...common, contributes: { hooks: ['sync'] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('sync', () => {}); } };",
    });
    host = createHost({
      hooks: hooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
      strictClone: true,
      activationTimeoutMs: 10_000,
    });
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should activate lazily on a hook and report the activation', async () => {
    expect(host.record('probe')?.state).toBe('resolved');
    await host.hooks.series.call(7);
    expect(host.record('probe')).toMatchObject({ state: 'ready', outcome: { activatedBy: 'onHook:series' } });
    expect(await host.run('probe', { op: 'identity' })).toEqual({
      id: 'probe',
      version: '1.0.0',
      data: expect.stringContaining('plugin-data/probe'),
    });
  });

  it('should take part in every asynchronous hook kind', async () => {
    expect(await host.hooks.bail.call('who')).toEqual({ answer: 'probe' });
    expect(await host.hooks.bail.call('what')).toBeUndefined();
    expect(await host.hooks.waterfall.call('start')).toBe('start>probe');
    await expect(host.hooks.parallel.call()).resolves.toBeUndefined();
    expect(await host.run('probe', { op: 'state' })).toMatchObject({ keys: ['bag', 'series'] });
  });

  it(
    isolated(runtime)
      ? 'should refuse a synchronous hook tap, which cannot cross a boundary'
      : 'should tap a synchronous hook',
    async () => {
      if (isolated(runtime)) {
        expect(host.record('syncer')).toMatchObject({
          state: 'error',
          reasonCode: 'JOVIAN_E_RUNTIME_UNAVAILABLE',
        });
        expect(host.record('syncer')?.reason).toContain('hook `sync` is synchronous');
      } else {
        expect(host.record('syncer')?.state).toBe('ready');
      }
    },
  );

  it('should send and receive events', async () => {
    const seen: unknown[] = [];
    host.events.subscribe('probe.out', (event) => void seen.push(event.payload));
    host.events.emit('probe.in', { n: 1 });
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await host.events.flush();
    expect(seen).toEqual([{ echo: { n: 1 } }]);
  });

  it('should read and validate config, and notify the plugin of changes', async () => {
    expect(await host.run('probe', { op: 'config', level: 4 })).toEqual({ before: { level: 1 }, after: 4 });
    await expect(host.run('probe', { op: 'config', level: 99 })).rejects.toMatchObject({
      code: 'JOVIAN_E_CONFIG_INVALID',
    });
  });

  it('should call another plugin’s API with cloneable values', async () => {
    expect(await host.run('probe', { op: 'call-peer' })).toEqual({
      sum: 42,
      described: { type: '[object Map]', size: 1 },
    });
  });

  it('should answer contributed commands', async () => {
    expect(await host.invokeCommand('probe', { args: ['x'], options: { y: true } })).toEqual({
      args: ['x'],
      options: { y: true },
    });
  });

  it('should bring errors back with their code and hint', async () => {
    await expect(host.run('probe', { op: 'throw-coded' })).rejects.toMatchObject({
      code: 'WEATHER_E_CITY',
      message: 'the city is unknown',
      hint: 'check the spelling',
    });
    await expect(host.run('probe', { op: 'throw-plain' })).rejects.toMatchObject({
      code: 'JOVIAN_E_RUN_FAILED',
      message: expect.stringContaining('plain failure'),
    });
    await expect(host.run('probe', { op: 'not-cloneable' })).rejects.toMatchObject({
      code: 'JOVIAN_E_NOT_CLONEABLE',
    });
    expect(await host.run('probe', { op: 'denied' })).toMatchObject({
      code: 'JOVIAN_E_PERMISSION_DENIED',
      hint: expect.stringContaining('fs_read'),
    });
  });

  it('should give up on a call past its deadline', async () => {
    await expect(host.run('slow', { op: 'wait', ms: 5_000 })).rejects.toMatchObject({
      code: 'JOVIAN_E_CALL_TIMEOUT',
    });
    expect(await host.run('probe', { op: 'echo' })).toEqual({ echo: { op: 'echo' } });
  });

  it('should deactivate and activate again', async () => {
    await host.deactivate('probe');
    expect(host.record('probe')?.state).toBe('stopped');
    expect(await host.hooks.waterfall.call('again')).toBe('again>probe');
    expect(host.record('probe')?.state).toBe('ready');
  });
});

describe.each(RUNTIMES)('hostile plugins, runtime %s', (runtime) => {
  let fixture: Fixture;
  let host: PluginHost;
  const kinds = [
    'loop',
    'memory',
    'exit',
    'reject',
    'throw-later',
    'fs-direct',
    'spawn-direct',
    'kill',
    'flood',
    'fds',
    'loop-later',
  ] as const;

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('bystander', {
      manifest: { runtime },
      code: 'export default { run: (input) => ({ fine: input }) };',
    });
    for (const kind of kinds) {
      await fixture.add(`hostile_${kind.replace('-', '_')}`, {
        manifest: {
          runtime,
          limits: {
            timeout_ms: 2_500,
            events_per_second: 500,
            ...(kind === 'memory' ? { memory_mb: 48 } : {}),
          },
          contributes: { events: { emit: ['hostile.flood'] } },
        },
        code: HOSTILE,
      });
    }
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
      activationTimeoutMs: 10_000,
      recovery: { livenessIntervalMs: 200 },
    });
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  const containedBy: Record<(typeof kinds)[number], RuntimeKind[]> = {
    loop: ['worker', 'process'],
    memory: ['worker', 'process'],
    exit: ['worker', 'process'],
    reject: ['worker', 'process'],
    'throw-later': ['worker', 'process'],
    'fs-direct': ['process'],
    'spawn-direct': ['process'],
    kill: ['process'],
    flood: ['inprocess', 'worker', 'process'],
    fds: ['process'],
    'loop-later': ['worker', 'process'],
  };
  const why: Record<(typeof kinds)[number], string> = {
    loop: 'in-process code cannot be interrupted: a busy loop blocks the host (documented)',
    memory: 'in-process code shares the host heap',
    exit: 'process.exit in-process ends the host',
    reject: 'an unhandled rejection in-process belongs to the host process',
    'throw-later': 'an uncaught exception in-process belongs to the host process',
    'fs-direct': 'not a security boundary: code that bypasses ctx reads files (docs/permissions.md)',
    'spawn-direct': 'not a security boundary: code that bypasses ctx starts processes',
    kill: 'only a plugin process can be killed on its own',
    flood: 'applies everywhere',
    fds: 'threads share the host process’s file descriptors: exhausting them in-process or in a worker exhausts the host’s',
    'loop-later': 'in-process code cannot be interrupted',
  };

  for (const kind of kinds) {
    const applies = containedBy[kind].includes(runtime);
    it.skipIf(!applies)(
      `should contain a plugin that does "${kind}" (skipped elsewhere: ${why[kind]})`,
      async () => {
        const id = `hostile_${kind.replace('-', '_')}`;
        if (kind === 'fs-direct' || kind === 'spawn-direct') {
          await expect(host.run(id, { kind })).rejects.toMatchObject({
            message: expect.stringMatching(/ERR_ACCESS_DENIED|Access to this API has been restricted/),
          });
        } else if (kind === 'flood') {
          const seen: unknown[] = [];
          host.events.subscribe('hostile.flood', (event) => void seen.push(event.payload));
          const result = (await host.run(id, { kind })) as { dropped: number; code: string };
          await host.events.flush();
          expect(result).toMatchObject({ code: 'JOVIAN_E_EVENTS_THROTTLED' });
          expect(result.dropped).toBeGreaterThan(0);
          expect(seen.length).toBe(3000 - result.dropped);
        } else if (kind === 'loop-later') {
          expect(await host.run(id, { kind })).toBe('answered, then stuck');
          for (let i = 0; i < 300 && host.record(id)?.state !== 'error'; i++)
            await new Promise((resolve) => setTimeout(resolve, 20));
          expect(host.record(id)).toMatchObject({
            state: 'error',
            reasonCode: 'JOVIAN_E_PLUGIN_CRASHED',
            reason: expect.stringContaining('was unresponsive: it did not answer $/ping within 2500 ms'),
          });
        } else if (kind === 'fds') {
          expect(await host.run(id, { kind })).toMatchObject({ code: 'EMFILE' });
          const { openSync, closeSync } = await import('node:fs');
          closeSync(openSync(import.meta.filename, 'r'));
        } else if (kind === 'kill') {
          await host.run(id, { kind: 'calm' });
          const pid = host.record(id)?.active?.instance.pid;
          expect(pid).toBeGreaterThan(0);
          process.kill(pid!, 'SIGKILL');
          for (let i = 0; i < 100 && host.record(id)?.state !== 'error'; i++)
            await new Promise((resolve) => setTimeout(resolve, 20));
          expect(host.record(id)).toMatchObject({
            state: 'error',
            reasonCode: 'JOVIAN_E_PLUGIN_CRASHED',
            reason: expect.stringContaining('SIGKILL'),
          });
        } else {
          await expect(host.run(id, { kind })).rejects.toMatchObject({
            code: expect.stringMatching(/JOVIAN_E_(CALL_TIMEOUT|RUNTIME_CLOSED|PLUGIN_CRASHED|RUN_FAILED)/),
          });
          for (let i = 0; i < 150 && host.record(id)?.state !== 'error'; i++)
            await new Promise((resolve) => setTimeout(resolve, 20));
          expect(host.record(id)).toMatchObject({ state: 'error', reasonCode: 'JOVIAN_E_PLUGIN_CRASHED' });
        }
        expect(await host.run('bystander', { after: kind })).toEqual({ fine: { after: kind } });
      },
      20_000,
    );
  }
});
