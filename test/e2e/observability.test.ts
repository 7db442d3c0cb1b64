/**
 * Metrics and logs as an operator meets them: `jovian serve` over the examples with `npm start`'s
 * arguments, a chat message and a panel exercised, its live /metrics passed through Prometheus's own
 * checker (`promtool check metrics`); then `jovian logs` reading a plugin's files after the host has
 * stopped, and following them across a rotation.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../src/observability/index.js';
import type { ApiPluginDetails } from '../../src/server/index.js';
import { jovian, ROOT } from './cli-helpers.js';
import { npmStartArgs, type ServeProcess, startServe } from './serve-process.js';

function promtool(): string {
  const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0)
    throw new Error(
      'promtool is not installed: the live /metrics is checked with `promtool check metrics`. ' +
        'Install it (Debian: `apt-get install -y prometheus`), then run the tests again.',
    );
  return 'promtool';
}

describe('metrics and logs of the demo host', () => {
  const dataDir = join(ROOT, 'test-results', `observability-data-${process.pid}`);
  let args: string[];
  let serve: ServeProcess | undefined;
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${serve!.base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${serve!.token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response;
  };

  beforeAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'jovian.yaml'), 'metrics:\n  interval_ms: 1000\n');
    args = await npmStartArgs(dataDir);
    serve = await startServe(args);
  }, 30_000);
  afterAll(async () => {
    await serve?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('should serve /metrics that promtool accepts, with what the plugins did', async () => {
    const checker = promtool();
    await api('/api/chat', { method: 'POST', body: { message: 'hello metrics' } });
    await api('/api/plugins/system_info/panels/main', { method: 'POST', body: {} });
    // system_info declares contributes.metrics: its own values appear once collected (every second here).
    let text = '';
    for (let i = 0; i < 100 && !/^jovian_plugin_metric\{plugin_id="system_info"/m.test(text); i++) {
      text = await (await api('/metrics')).text();
      if (!/^jovian_plugin_metric\{plugin_id="system_info"/m.test(text))
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const check = spawnSync(checker, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr, 'promtool check metrics').toBe('');
    expect(check.status).toBe(0);
    expect(text).toMatch(
      /^jovian_hook_tap_duration_seconds_count\{plugin_id="welcome",hook="on_chat"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^jovian_plugin_call_duration_seconds_count\{plugin_id="system_info",kind="panel"\} 1$/m,
    );
    expect(text).toMatch(/^jovian_plugin_activations_total\{plugin_id="system_info",outcome="ready"\} 1$/m);
    expect(text).toMatch(/^jovian_rpc_call_duration_seconds_count\{runtime="process"\} [1-9]/m);
    expect(text).toMatch(/^jovian_plugin_metric\{plugin_id="system_info",metric="\w+"\} /m);
    expect(text).toMatch(/^jovian_events_published_total \d+/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    const details = (await (await api('/api/plugins/system_info')).json()) as ApiPluginDetails;
    expect(details.usage.calls).toBeGreaterThanOrEqual(1);
    expect(details.usage.lastCallAt).not.toBeNull();
  });

  it('should read a plugin’s log lines back with `jovian logs` once the host has stopped', async () => {
    await api('/api/chat', { method: 'POST', body: { message: 'hello logs' } });
    const live = await api('/api/plugins/welcome/logs?q=hello%20logs');
    const liveLines = ((await live.json()) as { lines: { message: string }[] }).lines;
    expect(liveLines.length).toBeGreaterThan(0);
    await serve!.stop();
    serve = undefined;
    const read = await jovian([...args, 'logs', 'welcome', '--grep', 'hello logs', '--tail', '5']);
    expect(read.stderr).toBe('');
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('[plugin:welcome]');
    expect(read.stdout).toContain('hello logs');
    const json = await jovian([...args, 'logs', 'welcome', '--json', '--tail', '1', '--level', 'info']);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ plugin: 'welcome', level: 'info' });
    const unknown = await jovian([...args, 'logs', 'no_such_plugin']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('JOVIAN_E_PLUGIN_NOT_FOUND');
    const noHost = await jovian([...args, 'logs', 'welcome', '--debug-for', '10m']);
    expect(noHost.code).toBe(1);
    expect(noHost.stderr).toContain('JOVIAN_E_LOGS_HOST_NOT_RUNNING');
  });

  it('should follow a plugin’s log across a rotation without losing a line', async () => {
    const dir = join(dataDir, 'logs', 'plugins');
    const file = new RotatingFile(join(dir, 'follow_me.log'), { maxBytes: 300, keep: 2 });
    const line = (n: number) =>
      `${JSON.stringify({ level: 30, time: Date.now(), plugin: 'follow_me', msg: `[plugin:follow_me] line ${n}` })}\n`;
    file.write(line(0));
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'jovian.js'), '--data-dir', dataDir, 'logs', 'follow_me', '--follow', '--tail', '1'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      // The past line is printed once it follows; then a burst rotates the file twice.
      for (let i = 0; i < 200 && !out.includes('line 0\n'); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(out).toContain('line 0\n');
      for (let n = 1; n <= 6; n++) file.write(line(n));
      for (let i = 0; i < 200 && !out.includes('line 6\n'); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const seen = [...out.matchAll(/line (\d+)\n/g)].map((m) => Number(m[1]));
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await readFile(join(dir, 'follow_me.log.1'), 'utf8')).toContain('line');
    } finally {
      child.kill('SIGINT');
      file.close();
    }
  });
});
