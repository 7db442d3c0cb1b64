/**
 * The WebUI as a receptacle for plugins, in a real Chromium against a real `jovian serve`: panels
 * mounted as tabs on a plugin's page and fed through the bridge, the plugin's help and metrics, a
 * failing panel kept in its area, widgets on the dashboard, toasts, and the console that sends
 * messages through the chat hooks. Screenshots in test-results/.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { openPage, RESULTS } from './chromium.js';
import { type ServeProcess, startServe } from './serve-process.js';

/** The weather plugin's panel: it asks its provider for data, and counts its mounts for the test. */
const STATS_PANEL = `
export async function mount(element, bridge) {
  window.statsMounts = (window.statsMounts ?? 0) + 1;
  const line = document.createElement('p');
  line.id = bridge.idPrefix + 'today';
  line.textContent = bridge.i18n.t('loading');
  const notify = document.createElement('button');
  notify.textContent = 'Save forecast';
  notify.addEventListener('click', () => bridge.notify('Forecast saved', { level: 'success' }));
  element.append(line, notify);
  const data = await bridge.api.panel('stats', { city: 'Paris' });
  line.textContent = bridge.i18n.t('today', { city: data.city, degrees: data.degrees });
}
export function unmount(element) {
  window.statsUnmounts = (window.statsUnmounts ?? 0) + 1;
}
`;

const HISTORY_PANEL = `
export function mount(element, bridge) {
  const list = document.createElement('p');
  list.textContent = 'Last week: mild, theme ' + bridge.theme.name;
  element.append(list);
}
`;

const TODAY_WIDGET = `
export async function mount(element, bridge) {
  const answer = await bridge.api.get('now');
  const text = document.createElement('strong');
  text.textContent = 'Now in ' + answer.city + ': ' + answer.degrees + '°';
  element.append(text);
}
`;

describe('WebUI panels, widgets and console in a browser', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('weather', {
      manifest: {
        name: 'Weather',
        description: 'Forecasts.',
        contributes: {
          routes: [{ method: 'GET', path: '/now' }],
          ui: {
            panels: [{ id: 'stats', title_key: 'plugin.weather.stats.title' }, { id: 'history' }],
            widgets: [
              { id: 'today', mount_point: 'dashboard.main' },
              { id: 'radar', mount_point: 'sidebar' },
            ],
          },
          metrics: true,
        },
      },
      code: `let calls = 0;
      export default {
        async activate(ctx) {
          await ctx.contributions.registerPanel('stats', (request) => {
            calls++;
            ctx.logger.info('stats asked for ' + request.city);
            return { city: request.city, degrees: 21 };
          });
          await ctx.contributions.registerRoute('GET', '/now', () => ({ city: 'Lyon', degrees: 18 }));
        },
        metrics: () => ({ panelCalls: calls }),
      };`,
      files: {
        'web/panels/stats.js': STATS_PANEL,
        'web/panels/history.js': HISTORY_PANEL,
        'web/widgets/today.js': TODAY_WIDGET,
        'web/widgets/radar.js': 'export function mount() {}\n',
        'web/lang/en.json': JSON.stringify({
          loading: 'Loading…',
          today: 'Today in {city}: {degrees}°',
          stats: { title: 'Today' },
          help: 'Forecasts for the cities you follow.\n\nThe panel <b>asks</b> the plugin each time it opens.',
        }),
        'web/lang/fr.json': JSON.stringify({
          loading: 'Chargement…',
          today: 'Aujourd’hui à {city} : {degrees}°',
          stats: { title: 'Aujourd’hui' },
          help: 'Les prévisions des villes suivies.',
        }),
      },
    });
    await fixture.add('crashy', {
      manifest: { description: 'Its panel fails.', contributes: { ui: { panels: [{ id: 'main' }] } } },
      files: {
        'web/panels/main.js':
          "export function mount() { throw new Error('the chart library is missing'); }\n",
      },
    });
    await fixture.add('commander', {
      manifest: { description: 'Answers /weather.', contributes: { hooks: ['on_command'] } },
      code: `export default { async activate(ctx) {
        await ctx.hooks.tap('on_command', (command) => {
          if (command.name !== 'weather') return undefined;
          ctx.logger.info('asked for ' + command.args.join(' '));
          return { response: 'Sunny in ' + command.args.join(' ') };
        });
      } };`,
    });
    serve = await startServe([
      '--dev',
      '--plugins-dir',
      fixture.pluginsDir,
      '--data-dir',
      fixture.dataDir,
      '--allow-inprocess',
      'weather,crashy,commander',
    ]);
    ({ browser, page } = await openPage(900));
    await page.goto(serve.loginUrl);
    await page.getByRole('heading', { name: 'Plugins' }).waitFor();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fixture?.cleanup();
  });

  const nav = () => page.getByRole('navigation');
  const mounts = () => page.evaluate(() => (globalThis as { statsMounts?: number }).statsMounts ?? 0);

  it('should mount a plugin’s panel on first visit, with data it asked its provider through the bridge', async () => {
    expect(await mounts()).toBe(0);
    await page.getByRole('link', { name: 'Weather', exact: true }).click();
    await page.getByRole('heading', { name: 'Weather', level: 1 }).waitFor();
    const panel = page.locator('#plugin-weather-panel-stats');
    await panel.getByText('Today in Paris: 21°').waitFor();
    expect(await panel.locator('#plugin-weather-today').count()).toBe(1);
    expect(await mounts()).toBe(1);
    // The provider's log line reached the live log.
    await page.getByRole('log').getByText('stats asked for Paris').waitFor();
  });

  it('should show the panels as tabs titled from the plugin’s messages, and mount the other one when chosen', async () => {
    const tabs = page.getByRole('tab');
    expect(await tabs.allTextContents()).toEqual(['Today', 'history']);
    expect(await page.getByRole('tab', { name: 'Today' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#plugin-weather-panel-history').count()).toBe(0);

    await page.getByRole('tab', { name: 'history' }).click();
    await page.locator('#plugin-weather-panel-history').getByText('Last week: mild, theme dark').waitFor();
    expect(await page.locator('#plugin-weather-panel-stats').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { statsUnmounts?: number }).statsUnmounts)).toBe(1);

    await page.getByRole('tab', { name: 'Today' }).click();
    await page.locator('#plugin-weather-panel-stats').getByText('Today in Paris: 21°').waitFor();
    expect(await mounts()).toBe(2);
  });

  it('should show the plugin’s help as plain paragraphs, never as markup', async () => {
    const help = page.getByRole('complementary', { name: 'Help' });
    await help.getByText('Forecasts for the cities you follow.').waitFor();
    expect(await help.locator('p').allTextContents()).toEqual([
      'Forecasts for the cities you follow.',
      'The panel <b>asks</b> the plugin each time it opens.',
    ]);
    expect(await help.locator('b').count()).toBe(0);
  });

  it('should show the plugin’s metrics once it is active', async () => {
    const metrics = page.getByRole('region', { name: 'Metrics' });
    await metrics.getByText('panelCalls').waitFor();
    expect(Number(await metrics.locator('dd').first().textContent())).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(RESULTS, 'webui-panels.png'), fullPage: true });
  });

  it('should show a toast when the panel calls bridge.notify, with the plugin’s name', async () => {
    await page.getByRole('button', { name: 'Save forecast' }).click();
    const toast = page.getByRole('status').filter({ hasText: 'Forecast saved' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('Weather');
    await page.screenshot({ path: join(RESULTS, 'webui-toast.png') });
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });
  });

  it('should follow the UI’s language in the plugin’s text, tab titles and help', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('tab', { name: 'Aujourd’hui' }).waitFor();
    await page
      .getByRole('complementary', { name: 'Aide' })
      .getByText('Les prévisions des villes suivies.')
      .waitFor();
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await page.getByRole('tab', { name: 'Today' }).waitFor();
  });

  it('should mount a panel only once the plugins’ messages are in, so its first texts are translated', async () => {
    await page.route('**/api/i18n/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    try {
      await page.goto(`${serve.base}/plugins/weather`);
      await page.getByRole('heading', { name: 'Weather', level: 1 }).waitFor();
      await page.locator('#plugin-weather-today').getByText('Today in Paris: 21°').waitFor();
    } finally {
      await page.unroute('**/api/i18n/**');
    }
  });

  it('should mount the panel again, with its new code, when its plugin is reloaded', async () => {
    const before = await mounts();
    await writeFile(
      join(fixture.pluginsDir, 'weather', 'web', 'panels', 'stats.js'),
      STATS_PANEL.replace("bridge.i18n.t('today'", "'v2 ' + bridge.i18n.t('today'"),
    );
    const reload = await fetch(`${serve.base}/api/plugins/weather/reload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}` },
    });
    expect(reload.status).toBe(200);
    await page.locator('#plugin-weather-panel-stats').getByText('v2 Today in Paris: 21°').waitFor();
    expect(await mounts()).toBeGreaterThan(before);
  });

  it('should keep a panel whose mount throws in an error box, while the header and the log keep working', async () => {
    await page.goto(`${serve.base}/plugins/crashy`);
    const failure = page.getByRole('alert').filter({ hasText: 'Panel main of plugin crashy failed' });
    await failure.waitFor();
    expect(await failure.textContent()).toContain('the chart library is missing');
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByRole('combobox', { name: 'Level' }).selectOption('error');
    await page.getByRole('searchbox', { name: 'Search the log' }).fill('anything');
    await page.screenshot({ path: join(RESULTS, 'webui-panel-error.png'), fullPage: true });

    await failure.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('alert').filter({ hasText: 'the chart library is missing' }).waitFor();

    await nav().getByRole('link', { name: 'Plugins' }).click();
    await page.getByRole('heading', { name: 'Plugins', level: 1 }).waitFor();
  });

  it('should pause the log, counting the lines that arrive, and show them on resume', async () => {
    await page.goto(`${serve.base}/plugins/weather`);
    await page.locator('#plugin-weather-panel-stats').getByText('Today in Paris: 21°').waitFor();
    const log = page.getByRole('log');
    await log.getByText('stats asked for Paris').first().waitFor();
    const before = await log.getByText('stats asked for Paris').count();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('tab', { name: 'history' }).click();
    await page.getByRole('tab', { name: 'Today' }).click();
    await page.getByText('Paused: 1 new lines wait until you resume.').waitFor();
    expect(await log.getByText('stats asked for Paris').count()).toBe(before);
    await page.getByRole('button', { name: 'Resume' }).click();
    await log.getByText('stats asked for Paris').nth(before).waitFor();
    expect(await page.getByRole('link', { name: 'Download the full log' }).getAttribute('href')).toBe(
      '/api/plugins/weather/logs/download',
    );
  });

  it('should mount the widgets on the dashboard, and list those whose mount point it lacks', async () => {
    await nav().getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.locator('#plugin-weather-widget-today').getByText('Now in Lyon: 18°').waitFor();
    expect(await page.locator('[data-mount-point="dashboard.main"] .widget-card').count()).toBe(1);
    await page
      .getByText(/Not shown, their mount point is not on this dashboard: weather\/radar \(sidebar\)/)
      .waitFor();
    expect(await page.locator('#plugin-weather-widget-radar').count()).toBe(0);
    await page.screenshot({ path: join(RESULTS, 'webui-dashboard.png'), fullPage: true });
  });

  it('should send a /command from the console and show the reply with which plugin did what', async () => {
    await nav().getByRole('link', { name: 'Console' }).click();
    await page.getByRole('heading', { name: 'Console', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Message or /command' }).fill('/weather Nantes');
    await page.getByRole('button', { name: 'Send' }).click();
    const entry = page.locator('.chat-entry').first();
    await entry.locator('.chat-reply').getByText('Sunny in Nantes').waitFor();
    expect(await entry.locator('.chat-reply').textContent()).toBe('Reply from commander: Sunny in Nantes');
    const row = entry.getByRole('row').filter({ hasText: 'on_command' });
    expect(await row.getByRole('cell').first().textContent()).toBe('commander');
    expect(await row.textContent()).toContain('{"response":"Sunny in Nantes"}');
    await entry.getByText('asked for Nantes').waitFor();

    await page.getByRole('textbox', { name: 'Message or /command' }).fill('hello there');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.chat-entry').first().getByText('You said: hello there').waitFor();
    expect(await page.locator('.chat-entry').count()).toBe(2);
    await page.screenshot({ path: join(RESULTS, 'webui-console.png'), fullPage: true });
  });
});
