/**
 * `npm start` as a user runs it: the command of package.json's `start` script (after its build step)
 * serves the example plugins, whose panels and widgets the WebUI can mount, in both languages, and whose
 * plugins answer through them: system_info's live figures, daily_digest following its settings; then
 * the same in Chromium. The screenshot of system_info's page (test-results/demo-plugin-page.png) is the
 * one the README shows.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ApiI18nMessages, ApiUiContributions } from '../../src/server/index.js';
import { openPage, RESULTS, ROOT } from './chromium.js';
import { npmStartArgs, type ServeProcess, startServe } from './serve-process.js';

describe('the demo host of npm start', () => {
  const dataDir = join(ROOT, 'test-results', `demo-data-${process.pid}`);
  let serve: ServeProcess;
  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${serve.base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${serve.token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const answer = (await response.json()) as T;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  beforeAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    serve = await startServe(await npmStartArgs(dataDir));
  }, 30_000);
  afterAll(async () => {
    await serve?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('should offer the panels and widgets of the examples, each module served', async () => {
    const ui = await api<ApiUiContributions>('/api/ui');
    expect(ui.problems).toEqual([]);
    expect(ui.panels.map((p) => `${p.plugin}/${p.id}`)).toEqual(
      expect.arrayContaining(['system_info/main', 'daily_digest/main']),
    );
    expect(ui.widgets.map((w) => `${w.plugin}/${w.id}@${w.mountPoint}`)).toEqual(
      expect.arrayContaining([
        'system_info/gauges@dashboard.right_column',
        'quotes/today@dashboard.main',
        'daily_digest/today@dashboard.main',
      ]),
    );
    for (const { module } of [...ui.panels, ...ui.widgets]) {
      const response = await fetch(`${serve.base}${module}`, {
        headers: { authorization: `Bearer ${serve.token}` },
      });
      expect({ module, status: response.status }).toEqual({ module, status: 200 });
      expect(response.headers.get('content-type')).toMatch(/javascript/);
    }
  });

  it('should give each example plugin its help and titles in English and in French', async () => {
    for (const locale of ['en', 'fr']) {
      const { messages, problems } = await api<ApiI18nMessages>(`/api/i18n/${locale}`);
      expect(problems).toEqual([]);
      for (const id of ['system_info', 'daily_digest', 'quotes'])
        expect(messages[`plugin.${id}.help`]).toBeTruthy();
    }
    const fr = await api<ApiI18nMessages>('/api/i18n/fr');
    expect(fr.messages['plugin.system_info.panels.main']).toBe('En direct');
  });

  it("should start system_info on its panel's first call and answer live figures, then its metrics", async () => {
    expect((await api<{ state: string }>('/api/plugins/system_info')).state).not.toBe('ready');
    const { data } = await api<{
      data: { cpu_percent: number; cores: number; memory: { total_mib: number; used_mib: number } };
    }>('/api/plugins/system_info/panels/main', { method: 'POST' });
    expect(data.cores).toBeGreaterThan(0);
    expect(data.memory.used_mib).toBeGreaterThan(0);
    expect(data.memory.used_mib).toBeLessThanOrEqual(data.memory.total_mib);
    expect(data.cpu_percent).toBeGreaterThanOrEqual(0);
    expect((await api<{ state: string }>('/api/plugins/system_info')).state).toBe('ready');
    const metrics = await api<{ values: Record<string, number> | null }>('/api/plugins/system_info/metrics');
    expect(Object.keys(metrics.values ?? {})).toEqual(['cpu_percent', 'memory_used_mib', 'load_1m']);
    const quote = await api<{ text: string; author: string }>('/api/x/quotes/today');
    expect(quote.author).toBeTruthy();
  });

  it("should preview daily_digest's digest as its settings say, keeping the password for the owner only", async () => {
    const refused = await fetch(`${serve.base}/api/plugins/daily_digest/config`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ values: { quotes: 9 } }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { issues: { pointer: string }[] }).issues[0]?.pointer).toBe('/quotes');
    await api('/api/plugins/daily_digest/config', {
      method: 'PUT',
      body: {
        values: {
          title: 'Morning notes',
          quotes: 2,
          footer: { enabled: true, text: 'See you tomorrow.' },
          translator: { api_key: 'k-123', formal: false },
        },
      },
    });
    const { data } = await api<{ data: { text: string } }>('/api/plugins/daily_digest/panels/main', {
      method: 'POST',
    });
    const lines = data.text.split('\n');
    expect(lines[0]).toMatch(/^Morning notes \(#…\)$/);
    expect(lines.filter((line) => line.includes('” — '))).toHaveLength(2);
    expect(lines).toContain('See you tomorrow.');
    const file = join(dataDir, 'plugin-data', 'daily_digest', 'config.yaml');
    expect(parse(await readFile(file, 'utf8'))).toMatchObject({
      quotes: 2,
      translator: { api_key: 'k-123' },
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  describe('in a browser', () => {
    let browser: Browser;
    let page: Page;
    const settings = () => page.getByRole('region', { name: 'Settings' });

    beforeAll(async () => {
      ({ browser, page } = await openPage(900));
      await page.goto(serve.loginUrl);
      await page.getByRole('heading', { name: 'Plugins' }).waitFor();
    }, 30_000);
    afterAll(async () => {
      await browser?.close();
    });

    it("should mount system_info's live panel with its help and metrics", async () => {
      await page.getByRole('link', { name: 'System information', exact: true }).click();
      await page
        .locator('#plugin-system_info-cpu')
        .getByText(/^\d+\.\d %$/)
        .waitFor();
      await page
        .locator('#plugin-system_info-memory')
        .getByText(/^\d+ \/ \d+ MiB$/)
        .waitFor();
      await page.locator('#plugin-system_info-facts').getByText('Processor').waitFor();
      await page
        .getByRole('complementary', { name: 'Help' })
        .getByText(/^Shows how busy the machine running the host is/)
        .waitFor();
      await page.getByRole('region', { name: 'Metrics' }).getByText('cpu_percent').waitFor();
      // A few samples drawn, every 2 seconds, so the picture shows a line.
      await expect
        .poll(
          async () =>
            ((await page.locator('#plugin-system_info-cpu polyline').getAttribute('points')) ?? '').split(' ')
              .length,
          { timeout: 15_000 },
        )
        .toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: join(RESULTS, 'demo-plugin-page.png') });
    });

    it("should follow daily_digest's settings in its panel as they are saved, the API key masked", async () => {
      await page.goto(`${serve.base}/plugins/daily_digest`);
      const preview = page.locator('#plugin-daily_digest-preview');
      await preview.getByText(/^Morning notes/).waitFor();
      expect(await settings().getByLabel('API key').getAttribute('type')).toBe('password');
      await settings().getByLabel('Quotes per digest').fill('3');
      await settings().getByRole('button', { name: 'Save' }).click();
      await settings()
        .getByRole('status')
        .getByText(/^Saved to /)
        .waitFor();
      await expect
        .poll(
          async () =>
            ((await preview.textContent()) ?? '').split('\n').filter((l) => l.includes('” — ')).length,
        )
        .toBe(3);
      // Highlight the author of today's first quote (quotes change with the day).
      const first = ((await preview.textContent()) ?? '').split('\n')[1] ?? '';
      const author = first.split('” — ')[1] ?? '';
      expect(author).not.toBe('');
      await settings().getByRole('button', { name: 'Add' }).click();
      await settings().locator('#root_highlight_authors_0').fill(author);
      await settings().getByRole('button', { name: 'Save' }).click();
      await preview.getByText(`★ ${first}`).waitFor();
      await page.getByRole('button', { name: "Build today's digest" }).click();
      await page.getByRole('status').filter({ hasText: 'Digest #1 built.' }).waitFor();
      await page.screenshot({ path: join(RESULTS, 'demo-digest-page.png'), fullPage: true });
    });

    it('should show the quote of the day and the machine on the dashboard', async () => {
      await page.getByRole('link', { name: 'Dashboard' }).click();
      await page.locator('#plugin-quotes-today').getByText(/^— /).waitFor();
      await page.locator('#plugin-system_info-widget-cpu').getByText(/ %$/).waitFor();
      await page
        .locator('#plugin-daily_digest-widget-preview')
        .getByText(/^Morning notes/)
        .waitFor();
      await page.screenshot({ path: join(RESULTS, 'demo-dashboard.png') });
    });
  });
});
