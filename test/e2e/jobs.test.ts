/**
 * Jobs end to end, as a user meets them: a real `jovian serve` running the `reports` example in its own
 * process (jobs and their cancellation cross the plugin protocol), the `jovian jobs` command against
 * it, the API, the WebUI in Chromium, a job past its deadline, the breaker refusing jobs, and the
 * history after a restart.
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJob } from '../../src/server/api-types.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { openPage, RESULTS, ROOT } from './chromium.js';
import { jovian } from './cli-helpers.js';
import { apiCall } from './plugin-project.js';
import { type ServeProcess, startServe } from './serve-process.js';

/** One section of the report, in percent (10 sections). */
const STEP = 10;

describe('jobs', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  let browser: Browser | undefined;
  let page: Page;
  let global: string[];

  const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    apiCall<T>(serve, method, path, body);
  const job = async (id: string) => (await api<ApiJob>('GET', `/api/jobs/${id}`)).json;
  /** Asks the server again until `test` holds for the job (the job's own events decide, not a clock). */
  const until = async (id: string, test: (job: ApiJob) => boolean): Promise<ApiJob> => {
    for (;;) {
      const current = await job(id);
      if (test(current)) return current;
      if (current.endedAt !== null) throw new Error(`job ${id} ended ${current.state} first`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    fixture = await createFixture();
    await cp(join(ROOT, 'examples', 'plugins', 'reports'), join(fixture.pluginsDir, 'reports'), {
      recursive: true,
    });
    await fixture.add('sleeper', {
      manifest: { contributes: { jobs: { default_timeout: 1, handlers: [{ name: 'nap' }] } } },
      code: `export default { async activate(ctx) {
        await ctx.jobs.register('nap', async (params, job) => {
          for (let i = 1; i <= 10; i++) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            await job.updateProgress(i * 10, 'still napping');
          }
          await ctx.logger.info('nap ' + job.id + ' over');
          return 'rested';
        });
      } };`,
    });
    await fixture.add('flaky', {
      manifest: { contributes: { jobs: { handlers: [{ name: 'explode' }] } } },
      code: `export default { async activate(ctx) {
        await ctx.jobs.register('explode', () => { throw new Error('the fuse blew'); });
      } };`,
    });
    global = ['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir];
    serve = await startServe(global);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fixture?.cleanup();
  });

  it('should show a job’s progress in `jovian jobs run --watch`, through the running server', async () => {
    const run = await jovian([
      ...global,
      'jobs',
      'run',
      'reports',
      'build',
      '--params',
      '{"sections": 4, "section_ms": 200}',
      '--watch',
    ]);
    expect(run.code, run.stderr).toBe(0);
    for (const step of ['25% | ETA 1s | section 1 of 4', '50%', '75%', '100%'])
      expect(run.stdout).toContain(step);
    expect(run.stdout).toContain('section 4 of 4');
    const id = /job (\w{12}) completed/.exec(run.stdout)?.[1];
    expect(id, run.stdout).toBeDefined();
    // The job ran in the server: its API knows it, with the file the plugin wrote.
    const done = await job(id!);
    expect(done).toMatchObject({ state: 'completed', progress: 100, result: { sections: 4 } });
    const list = await jovian([...global, 'jobs', 'list', '--json']);
    expect(list.json<{ jobs: ApiJob[] }>().jobs.map((j) => j.id)).toContain(id);
    const metrics = await (
      await fetch(`${serve.base}/metrics`, { headers: { authorization: `Bearer ${serve.token}` } })
    ).text();
    expect(metrics).toMatch(
      /jovian_job_transitions_total\{[^}]*plugin_id="reports"[^}]*state="completed"[^}]*\} 1/,
    );
    expect(metrics).toMatch(/jovian_job_duration_seconds_count\{[^}]*outcome="completed"[^}]*\} 1/);
  }, 60_000);

  it('should cancel a job through the API within one step of the report', async () => {
    const { json: submitted } = await api<ApiJob>('POST', '/api/jobs', {
      plugin: 'reports',
      name: 'build',
      params: { sections: 10, section_ms: 400 },
    });
    await until(submitted.id, (j) => j.progress >= 2 * STEP);
    const { status, json: atCancel } = await api<ApiJob>('DELETE', `/api/jobs/${submitted.id}`);
    expect(status).toBe(200);
    const watched = await jovian([...global, 'jobs', 'watch', submitted.id]);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toContain(`job ${submitted.id} cancelled`);
    const ended = await job(submitted.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.progress - atCancel.progress).toBeLessThanOrEqual(STEP);
    expect(ended.progress).toBeLessThan(100);
  }, 60_000);

  it('should end a job past its deadline `timed_out`, and ignore what its handler returns later', async () => {
    const { json: submitted } = await api<ApiJob>('POST', '/api/jobs', { plugin: 'sleeper', name: 'nap' });
    const ended = await until(submitted.id, (j) => j.state === 'timed_out').catch(async () =>
      job(submitted.id),
    );
    expect(ended.state).toBe('timed_out');
    expect(ended.error).toMatchObject({ code: 'JOVIAN_E_JOB_TIMEOUT' });
    // The handler ignored the signal and finished anyway: the job stays timed out, without its result.
    for (;;) {
      const { json } = await api<{ lines: { message: string }[] }>('GET', '/api/plugins/sleeper/logs');
      if (json.lines.some((line) => line.message === `nap ${submitted.id} over`)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await job(submitted.id)).toMatchObject({ state: 'timed_out', result: null });
  }, 60_000);

  it('should refuse new jobs while the plugin’s breaker is open, saying so', async () => {
    for (let i = 0; i < 5; i++) {
      const { json } = await api<ApiJob>('POST', '/api/jobs', { plugin: 'flaky', name: 'explode' });
      const failed = await until(json.id, (j) => j.state === 'failed').catch(async () => job(json.id));
      expect(failed.error).toMatchObject({ code: 'JOVIAN_E_JOB_HANDLER_FAILED' });
    }
    const refused = await api<{ error: { code: string; message: string; hint: string } }>(
      'POST',
      '/api/jobs',
      {
        plugin: 'flaky',
        name: 'explode',
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({
      code: 'JOVIAN_E_CIRCUIT_OPEN',
      message: expect.stringContaining('flaky'),
    });
    const cli = await jovian([...global, 'jobs', 'run', 'flaky', 'explode']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('JOVIAN_E_CIRCUIT_OPEN');
  }, 60_000);

  it('should show the bar move on the plugin page in Chromium, and cancel from there', async () => {
    ({ browser, page } = await openPage(900));
    await page.goto(serve.loginUrl);
    await page.goto(`${serve.base}/plugins/reports`);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await page
      .getByRole('textbox', { name: 'Params of build (JSON)' })
      .fill('{"sections": 10, "section_ms": 500}');
    await page.getByRole('button', { name: 'Run build' }).click();
    const item = page.locator('li.job-running').first();
    await item.waitFor();
    const id = (await item.getAttribute('data-job'))!;
    const bar = item.getByRole('progressbar', { name: 'Progress of build' });
    const valueNow = async () => Number(await bar.getAttribute('aria-valuenow'));
    // The bar is read again until it moves; each move is one section the plugin reported.
    const reach = async (test: (value: number) => boolean) => {
      while (!test(await valueNow())) await page.waitForTimeout(50);
    };
    await reach((value) => value >= STEP);
    const first = await valueNow();
    await reach((value) => value > first);
    await item.getByText(/section \d+ of 10/).waitFor();
    await item.getByText(/about \d+ s left/).waitFor();
    await page.screenshot({ path: join(RESULTS, 'webui-jobs-running.png'), fullPage: true });
    await item.getByRole('button', { name: 'Cancel' }).click();
    const cancelledAt = (await job(id)).progress;
    const ended = page.locator(`li[data-job="${id}"]`);
    await ended.getByText('cancelled', { exact: true }).waitFor();
    expect((await job(id)).progress - cancelledAt).toBeLessThanOrEqual(STEP);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('heading', { name: 'Recent jobs' }).waitFor();
    await page.locator(`li[data-job="${id}"]`).getByText('cancelled', { exact: true }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'webui-jobs-page.png'), fullPage: true });
  }, 60_000);

  it('should keep the jobs history across a restart of jovian serve, failing the job it stopped', async () => {
    const before = (await api<{ jobs: ApiJob[] }>('GET', '/api/jobs')).json.jobs;
    const { json: running } = await api<ApiJob>('POST', '/api/jobs', {
      plugin: 'reports',
      name: 'build',
      params: { sections: 50, section_ms: 1000 },
    });
    await until(running.id, (j) => j.state === 'running');
    expect(await serve.stop()).toBe(0);
    serve = await startServe(global);
    const after = (await api<{ jobs: ApiJob[] }>('GET', '/api/jobs')).json.jobs;
    for (const old of before) expect(after.find((j) => j.id === old.id)).toMatchObject({ state: old.state });
    expect(after.find((j) => j.id === running.id)).toMatchObject({
      state: 'failed',
      error: { code: 'JOVIAN_E_JOB_INTERRUPTED', message: 'host stopped before the job ended' },
    });
    const shown = await jovian([...global, 'jobs', 'show', running.id]);
    expect(shown.stdout).toContain('host stopped before the job ended');
  }, 60_000);
});
