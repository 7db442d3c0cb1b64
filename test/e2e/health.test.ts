/**
 * Health checks in a real `jovian serve`, with short intervals set in jovian.yaml: a system plugin whose
 * health() starts failing degrades the host (named in /api/health) and is restarted; a tool failing its
 * checks, or whose health() hangs, is stopped with the reason; a system plugin without health() is
 * flagged. The plugins fail when the test drops a file in their folder.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHealth, ApiPluginDetails } from '../../src/server/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { openPage, RESULTS } from './chromium.js';
import { type ServeProcess, startServe } from './serve-process.js';

/**
 * health() fails while a file named `fail` is in the plugin's folder, hangs while `hang` is, and says
 * `degraded` while `slow` is. Each start adds a line to `starts`.
 */
const CHECKED = `
import { appendFileSync, existsSync } from 'node:fs';
const here = (name) => new URL(name, import.meta.url);
export default {
  activate() { appendFileSync(here('starts'), 'started\\n'); },
  health() {
    if (existsSync(here('hang'))) return new Promise(() => {});
    if (existsSync(here('fail'))) return { status: 'failing', message: 'database unreachable' };
    if (existsSync(here('slow'))) return { status: 'degraded', message: 'running slow' };
    return { status: 'ok', message: 'all good' };
  },
};
`;

describe('health checks', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${serve.base}${path}`, {
      headers: { authorization: `Bearer ${serve.token}` },
    });
    return (await response.json()) as T;
  };
  /** Polls until `check` holds (no time limit of its own: the test's timeout is the deadline). */
  const until = async <T>(path: string, check: (value: T) => boolean): Promise<T> => {
    for (;;) {
      const value = await get<T>(path);
      if (check(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('guard', { manifest: { type: 'system' }, code: CHECKED });
    await fixture.add('bare', { manifest: { type: 'system' } });
    await fixture.add('helper', { manifest: { activation: ['onStartup'] }, code: CHECKED });
    await fixture.add('sleeper', { manifest: { activation: ['onStartup'] }, code: CHECKED });
    await mkdir(fixture.dataDir, { recursive: true });
    await writeFile(
      join(fixture.dataDir, 'jovian.yaml'),
      'health:\n  interval_ms: 50\n  timeout_ms: 300\n  failure_threshold: 2\n',
    );
    serve = await startServe([
      '--plugins-dir',
      fixture.pluginsDir,
      '--data-dir',
      fixture.dataDir,
      '--allow-inprocess',
      'guard,bare,helper,sleeper',
    ]);
  }, 30_000);
  afterAll(async () => {
    await serve?.stop();
    await fixture.cleanup();
  });

  it('should report each check and flag a system plugin without health()', async () => {
    const health = await until<ApiHealth>('/api/health', (h) => h.plugins.guard?.check?.status === 'ok');
    expect(health).toMatchObject({ status: 'ok', mode: 'ok', degradedBy: [] });
    expect(health.plugins.guard!.check).toMatchObject({ status: 'ok', message: 'all good', failures: 0 });
    expect(health.plugins.bare).toMatchObject({ state: 'ready', check: null });
    const bare = await until<ApiPluginDetails>('/api/plugins/bare', (d) => d.diagnostics.length > 0);
    expect(bare.diagnostics).toEqual([
      expect.objectContaining({ code: 'JOVIAN_E_HEALTH_MISSING', severity: 'warning' }),
    ]);
  }, 30_000);

  it('should degrade the host naming a failing system plugin, restart it, and recover when it passes', async () => {
    await writeFile(join(fixture.pluginsDir, 'guard', 'fail'), '');
    const degraded = await until<ApiHealth>('/api/health', (h) => h.status === 'degraded');
    expect(degraded.mode).toBe('degraded: guard — database unreachable');
    expect(degraded.degradedBy).toEqual([
      expect.objectContaining({ id: 'guard', check: expect.objectContaining({ status: 'failing' }) }),
    ]);
    const starts = () =>
      readFileSync(join(fixture.pluginsDir, 'guard', 'starts'), 'utf8').split('\n').length - 1;
    expect(starts()).toBe(1);
    // The answer is read before the file: wait for an answer given after the restart has settled.
    const restarted = await until<ApiPluginDetails>(
      '/api/plugins/guard',
      (d) =>
        starts() > 1 &&
        d.state === 'ready' &&
        d.outcome.activatedBy === 'restart' &&
        d.healthCheck?.status === 'failing',
    );
    expect(restarted.outcome.activatedBy).toBe('restart');
    expect(restarted.healthCheck).toMatchObject({ status: 'failing', message: 'database unreachable' });
    expect((await get<ApiHealth>('/api/health')).status).toBe('degraded');

    await rm(join(fixture.pluginsDir, 'guard', 'fail'));
    const healed = await until<ApiHealth>('/api/health', (h) => h.status === 'ok');
    expect(healed.plugins.guard).toMatchObject({ state: 'ready', check: { status: 'ok' } });
  }, 60_000);

  it('should stop a tool that fails its checks, with the reason as its state reason', async () => {
    await until<ApiHealth>('/api/health', (h) => h.plugins.helper?.check?.status === 'ok');
    await writeFile(join(fixture.pluginsDir, 'helper', 'fail'), '');
    const stopped = await until<ApiPluginDetails>('/api/plugins/helper', (d) => d.state === 'stopped');
    expect(stopped.reasonCode).toBe('JOVIAN_E_HEALTH_FAILING');
    expect(stopped.reason).toBe('health check failed 2 times in a row: database unreachable');
    const health = await get<ApiHealth>('/api/health');
    expect(health.status).toBe('ok');
    expect(health.plugins.helper).toMatchObject({ state: 'stopped', check: { status: 'failing' } });
  }, 30_000);

  it('should count a health() that hangs as failing, and stop the tool', async () => {
    await until<ApiHealth>('/api/health', (h) => h.plugins.sleeper?.check?.status === 'ok');
    await writeFile(join(fixture.pluginsDir, 'sleeper', 'hang'), '');
    const stopped = await until<ApiPluginDetails>('/api/plugins/sleeper', (d) => d.state === 'stopped');
    expect(stopped.reasonCode).toBe('JOVIAN_E_HEALTH_FAILING');
    expect(stopped.reason).toMatch(/health\(\) (did not answer within 300 ms|has not answered for \d+ ms)/);
  }, 30_000);

  it('should show the degraded banner and the plugin health line in the WebUI, live', async () => {
    const { browser, page } = await openPage(800);
    try {
      await page.goto(serve.loginUrl);
      await until<ApiHealth>('/api/health', (h) => h.status === 'ok');
      await page.goto(`${serve.base}/plugins/guard`);
      await page.locator('.health-line', { hasText: 'Health: ok — all good' }).waitFor();
      expect(await page.locator('.degraded-banner').count()).toBe(0);

      await writeFile(join(fixture.pluginsDir, 'guard', 'slow'), '');
      await page.getByRole('alert').getByText('guard — running slow', { exact: true }).waitFor();
      await page.locator('.health-line', { hasText: 'Health: degraded — running slow' }).waitFor();
      await page.screenshot({ path: join(RESULTS, 'health-degraded.png') });

      await rm(join(fixture.pluginsDir, 'guard', 'slow'));
      await page.locator('.degraded-banner').waitFor({ state: 'detached' });
      await page.locator('.health-line', { hasText: 'Health: ok' }).waitFor();
    } finally {
      await browser.close();
    }
  }, 60_000);
});
