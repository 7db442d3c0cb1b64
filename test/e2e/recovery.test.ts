/**
 * Failure containment over time, with real worker threads and child processes: crashed plugins come
 * back per their restart policy, the circuit breaker suspends a plugin that keeps failing and lets a
 * trial through after the cool-down, operators suspend and resume, idle tools hibernate.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncSeriesWaterfallHook, createHost, type PluginHost, summarize } from '../../src/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';

const hooks = () => ({ shout: new AsyncSeriesWaterfallHook<string>({ name: 'shout' }) });

const counter = (activate = '') => `
let count = 0;
export default {
  async activate(ctx) { ${activate} },
  run(input) {
    if (input?.fail) throw new Error('asked to fail');
    count++;
    return { count, pid: process.pid };
  },
};
`;
const COUNTER = counter();
const SHOUTER = counter("await ctx.hooks.tap('shout', (text) => text + '!');");

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('recovery', () => {
  let fixture: Fixture;
  let host: PluginHost<ReturnType<typeof hooks>>;
  const events: { topic: string; payload: unknown }[] = [];

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('keeper', { manifest: { type: 'system', runtime: 'process' }, code: COUNTER });
    await fixture.add('flaky', {
      manifest: { runtime: 'worker', contributes: { hooks: ['shout'] } },
      code: SHOUTER,
    });
    await fixture.add('lazy_tool', { manifest: { runtime: 'process' }, code: COUNTER });
    await fixture.add('stubborn', { manifest: { runtime: 'worker', restart: 'never' }, code: COUNTER });
    await fixture.add('sleepy', {
      manifest: { runtime: 'worker', limits: { idle_timeout_ms: 150 } },
      code: COUNTER,
    });
    await fixture.add('bystander', { manifest: { runtime: 'worker' }, code: COUNTER });
    host = createHost({
      hooks: hooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      recovery: { breakerThreshold: 3, breakerCooldownMs: 300, restartDelayMs: 100, maxRestartDelayMs: 400 },
    });
    host.events.subscribe(['plugin.breaker', 'plugin.restart', 'plugin.hibernated'], (event) => {
      events.push({ topic: event.topic, payload: event.payload });
    });
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should bring a system plugin back by itself after its process is killed, and keep serving meanwhile', async () => {
    const first = (await host.run('keeper', {})) as { pid: number };
    process.kill(first.pid, 'SIGKILL');
    await until(() => host.record('keeper')?.state === 'error', 'the crash to be noticed');
    expect(host.record('keeper')).toMatchObject({
      reasonCode: 'JOVIAN_E_PLUGIN_CRASHED',
      reason: expect.stringContaining('SIGKILL'),
    });
    expect(await host.run('bystander', {})).toMatchObject({ count: 1 });
    const dumps = await readdir(join(fixture.dataDir, 'logs', 'crashes'));
    const dump = dumps.find((name) => name.startsWith('keeper-'));
    expect(dump).toBeDefined();
    const text = await readFile(join(fixture.dataDir, 'logs', 'crashes', dump!), 'utf8');
    expect(text).toMatch(/^jovian: {3}\S+, node v\d+/m);
    expect(text).toMatch(/^manifest: sha256:[0-9a-f]{64} /m);
    expect(text).toMatch(/^config: {3}(sha256:[0-9a-f]{64}|\(no file\)) /m);
    expect(text).toContain('--- recent log ---');
    expect(text).toContain('--- last output ---');
    expect(text).toContain('--- error ---');
    await until(() => host.record('keeper')?.state === 'ready', 'the system plugin to come back');
    expect(host.metrics.restarts.get('keeper')).toBe(1);
    const second = (await host.run('keeper', {})) as { pid: number; count: number };
    expect(second.pid).not.toBe(first.pid);
    expect(second.count).toBe(1);
    expect(events).toContainEqual({
      topic: 'plugin.restart',
      payload: expect.objectContaining({ id: 'keeper', attempt: 1, policy: 'always' }),
    });
  });

  it('should let the next activation event restart a crashed tool (on_demand)', async () => {
    const first = (await host.run('lazy_tool', {})) as { pid: number };
    process.kill(first.pid, 'SIGKILL');
    await until(() => host.record('lazy_tool')?.state === 'error', 'the crash to be noticed');
    await expect(host.run('lazy_tool', {})).rejects.toMatchObject({ code: 'JOVIAN_E_PLUGIN_UNAVAILABLE' });
    await until(() => host.record('lazy_tool')?.state === 'resolved', 'the backoff to end');
    expect(await host.run('lazy_tool', {})).toMatchObject({ count: 1 });
    expect(host.record('lazy_tool')?.outcome.activatedBy).toBe('run');
  });

  it('should leave a plugin with restart: never in error until the operator restarts it', async () => {
    await host.run('stubborn', {});
    const worker = host.record('stubborn')?.active?.instance;
    await worker?.dispose();
    await until(() => host.record('stubborn')?.state === 'error', 'the crash to be noticed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(host.record('stubborn')?.state).toBe('error');
    await host.restart('stubborn');
    expect(host.record('stubborn')?.state).toBe('ready');
    expect(await host.run('stubborn', {})).toMatchObject({ count: 1 });
  });

  it('should open the breaker after repeated failures, suspend the plugin, and close it after the cool-down', async () => {
    expect(await host.hooks.shout.call('hi')).toBe('hi!');
    for (let i = 0; i < 3; i++)
      await expect(host.run('flaky', { fail: true })).rejects.toMatchObject({ code: 'JOVIAN_E_RUN_FAILED' });
    expect(host.record('flaky')?.state).toBe('suspended');
    expect(summarize(host.record('flaky')!)).toMatchObject({
      state: 'suspended',
      breaker: 'open',
      reasonCode: 'JOVIAN_E_CIRCUIT_OPEN',
    });
    await expect(host.run('flaky', {})).rejects.toMatchObject({ code: 'JOVIAN_E_PLUGIN_SUSPENDED' });
    expect(await host.hooks.shout.call('hi')).toBe('hi');
    expect(await host.run('bystander', {})).toMatchObject({ count: 2 });

    await until(() => host.record('flaky')?.state === 'ready', 'the cool-down to end');
    expect(summarize(host.record('flaky')!).breaker).toBe('half_open');
    expect(await host.run('flaky', {})).toMatchObject({ count: 1 });
    expect(summarize(host.record('flaky')!).breaker).toBe('closed');
    expect(await host.hooks.shout.call('hi')).toBe('hi!');
    expect(
      events
        .filter((e) => e.topic === 'plugin.breaker' && (e.payload as { id: string }).id === 'flaky')
        .map((e) => (e.payload as { state: string }).state),
    ).toEqual(['open', 'half_open', 'closed']);
  });

  it('should suspend and resume on request, keeping the plugin’s state', async () => {
    expect(await host.run('bystander', {})).toMatchObject({ count: 3 });
    expect(await host.suspend('bystander')).toBe(true);
    expect(host.record('bystander')).toMatchObject({
      state: 'suspended',
      reason: 'suspended by the operator',
    });
    await expect(host.run('bystander', {})).rejects.toMatchObject({ code: 'JOVIAN_E_PLUGIN_SUSPENDED' });
    expect(await host.resume('bystander')).toBe(true);
    expect(await host.run('bystander', {})).toMatchObject({ count: 4 });
  });

  it('should hibernate an idle tool and wake it on its next call', async () => {
    expect(await host.run('sleepy', {})).toMatchObject({ count: 1 });
    await until(() => host.record('sleepy')?.state === 'stopped', 'hibernation');
    expect(events).toContainEqual({
      topic: 'plugin.hibernated',
      payload: expect.objectContaining({ id: 'sleepy' }),
    });
    expect(await host.run('sleepy', {})).toMatchObject({ count: 1 });
    expect(host.record('sleepy')?.state).toBe('ready');
  });
});
