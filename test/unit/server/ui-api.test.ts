/**
 * What the WebUI needs to mount plugins, through `app.inject()` over a real host: the panels and
 * widgets of `/api/ui`, the messages of `/api/i18n/:locale`, panel calls and plugin metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHooks, PluginHost } from '../../../src/index.js';
import {
  type ApiI18nMessages,
  type ApiPluginMetrics,
  type ApiUiContributions,
  createServer,
  type JovianServer,
} from '../../../src/server/index.js';
import { startChatHost } from '../../helpers/chat-host.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

const MODULE = 'export function mount(element) { element.textContent = "hi"; }\n';

describe('WebUI receptacle API', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  const get = (url: string) =>
    server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${server.token}` } });
  const post = (url: string, payload?: unknown) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${server.token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('dashboard', {
      manifest: {
        contributes: {
          ui: {
            panels: [{ id: 'stats', title_key: 'plugin.dashboard.stats.title' }, { id: 'history' }],
            widgets: [
              { id: 'clock', mount_point: 'dashboard.right_column' },
              { id: 'gone', mount_point: 'dashboard.main' },
            ],
          },
          metrics: true,
        },
      },
      files: {
        'web/panels/stats.js': MODULE,
        'web/widgets/clock.js': MODULE,
        'web/lang/en.json': JSON.stringify({ stats: { title: 'Statistics', empty: 'Nothing yet' } }),
        'web/lang/fr.json': JSON.stringify({ stats: { title: 'Statistiques', empty: 'Rien encore' } }),
      },
      code: `let calls = 0;
      export default {
        async activate(ctx) {
          await ctx.contributions.registerPanel('stats', (request) => { calls++; return { echo: request, calls }; });
        },
        metrics: () => ({ panelCalls: calls, uptime: 1.5 }),
      };`,
    });
    await fixture.add('simple', {
      files: { 'web/panels/main.js': MODULE, 'web/lang/en.json': JSON.stringify({ title: 'Simple' }) },
    });
    await fixture.add('listed', {
      manifest: { i18n: ['locales/fr.json', './locales/en.json', '../simple/web/lang/de.json'] },
      files: {
        'locales/fr.json': JSON.stringify({ hello: 'Bonjour' }),
        'locales/en.json': JSON.stringify({ hello: 'Hello' }),
        'web/lang/fr.json': JSON.stringify({ hello: 'not the listed file' }),
      },
    });
    await fixture.add('broken_lang', {
      files: { 'web/lang/fr.json': '{ "title": ', 'web/lang/en.json': JSON.stringify({ title: 'Broken' }) },
    });
    await fixture.add('numbers', {
      files: { 'web/lang/en.json': JSON.stringify({ title: 'Numbers', count: { max: 3 } }) },
    });
    await fixture.add('huge', {
      files: { 'web/lang/en.json': JSON.stringify({ text: 'x'.repeat(300 * 1024) }) },
    });
    await fixture.add('off', {
      manifest: { contributes: { ui: { panels: [{ id: 'main' }] }, routes: [{ path: '/status' }] } },
      files: { 'web/panels/main.js': MODULE, 'web/lang/en.json': JSON.stringify({ title: 'Off' }) },
    });
    await fixture.add('faulty', {
      manifest: { contributes: { ui: { panels: [{ id: 'view' }] } } },
      files: { 'web/panels/view.js': MODULE },
      code: "export default { activate() { throw new Error('no database'); } };",
    });
    await fixture.add('idle_metrics', {
      manifest: { contributes: { metrics: true, ui: { panels: [{ id: 'view' }] } } },
      code: 'export default { metrics: () => ({ never: 1 }) };',
    });
    await fixture.add('bad_metrics', {
      manifest: { activation: ['onStartup'], contributes: { metrics: { enabled: true } } },
      code: "export default { metrics: () => ({ ok: 1, label: 'high' }) };",
    });
    host = await startChatHost(fixture);
    await host.disable('off');
    server = await createServer({ host });
  });
  afterAll(async () => {
    await server?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  describe('GET /api/ui', () => {
    it('should list declared panels and widgets with their module URLs, without activating anything', async () => {
      const response = await get('/api/ui');
      expect(response.statusCode).toBe(200);
      const ui = response.json<ApiUiContributions>();
      expect(ui.panels).toContainEqual({
        plugin: 'dashboard',
        id: 'stats',
        titleKey: 'plugin.dashboard.stats.title',
        module: '/plugins/dashboard/assets/panels/stats.js',
      });
      expect(ui.widgets).toEqual([
        {
          plugin: 'dashboard',
          id: 'clock',
          mountPoint: 'dashboard.right_column',
          module: '/plugins/dashboard/assets/widgets/clock.js',
        },
      ]);
      expect(host.record('dashboard')?.state).toBe('resolved');
      const module = await get(ui.panels.find((p) => p.id === 'stats')!.module);
      expect(module.statusCode).toBe(200);
      expect(module.body).toBe(MODULE);
    });

    it('should give a plugin that declares no panels its web/panels/main.js as panel `main`', async () => {
      const ui = (await get('/api/ui')).json<ApiUiContributions>();
      expect(ui.panels).toContainEqual({
        plugin: 'simple',
        id: 'main',
        titleKey: null,
        module: '/plugins/simple/assets/panels/main.js',
      });
    });

    it('should name a declared panel or widget whose module is missing in problems, with the file and the fix', async () => {
      const ui = (await get('/api/ui')).json<ApiUiContributions>();
      expect(ui.panels.map((p) => `${p.plugin}/${p.id}`)).not.toContain('dashboard/history');
      expect(ui.widgets.map((w) => w.id)).not.toContain('gone');
      const history = ui.problems.find((p) => p.contribution === 'history');
      expect(history).toMatchObject({ plugin: 'dashboard' });
      expect(history?.message).toContain('web/panels/history.js is missing');
      expect(history?.message).toContain('contributes.ui.panels');
      expect(ui.problems.find((p) => p.contribution === 'gone')?.message).toContain('web/widgets/gone.js');
    });

    it('should leave out disabled plugins and keep plugins in error', async () => {
      expect(host.record('off')?.state).toBe('disabled');
      const failed = await post('/api/plugins/faulty/panels/view');
      expect(failed.statusCode).toBe(500);
      expect(failed.json().error).toMatchObject({
        code: 'JOVIAN_E_ACTIVATION_FAILED',
        message: expect.stringContaining('no database'),
      });
      expect(host.record('faulty')?.state).toBe('error');
      const ui = (await get('/api/ui')).json<ApiUiContributions>();
      const plugins = ui.panels.map((p) => p.plugin);
      expect(plugins).not.toContain('off');
      expect(plugins).toContain('faulty');
      expect(ui.problems.map((p) => p.plugin)).not.toContain('off');
    });

    it('should need the token', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/api/ui' });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('GET /api/i18n/:locale', () => {
    it('should merge the plugins’ messages, flattened under plugin.<id>.', async () => {
      const response = await get('/api/i18n/fr');
      expect(response.statusCode).toBe(200);
      const body = response.json<ApiI18nMessages>();
      expect(body.locale).toBe('fr');
      expect(body.messages).toMatchObject({
        'plugin.dashboard.stats.title': 'Statistiques',
        'plugin.dashboard.stats.empty': 'Rien encore',
      });
    });

    it('should fall back to a plugin’s en.json when it has no file for the locale', async () => {
      const fr = (await get('/api/i18n/fr')).json<ApiI18nMessages>();
      expect(fr.messages['plugin.simple.title']).toBe('Simple');
      const regional = (await get('/api/i18n/fr-CA')).json<ApiI18nMessages>();
      expect(regional.messages['plugin.dashboard.stats.title']).toBe('Statistiques');
      expect(regional.messages['plugin.simple.title']).toBe('Simple');
    });

    it('should read the files the manifest lists under i18n instead of web/lang/, and refuse one outside the folder', async () => {
      const fr = (await get('/api/i18n/fr')).json<ApiI18nMessages>();
      expect(fr.messages['plugin.listed.hello']).toBe('Bonjour');
      const en = (await get('/api/i18n/en')).json<ApiI18nMessages>();
      expect(en.messages['plugin.listed.hello']).toBe('Hello');
      const de = (await get('/api/i18n/de')).json<ApiI18nMessages>();
      expect(de.messages['plugin.listed.hello']).toBe('Hello');
      expect(de.problems).toContainEqual({
        plugin: 'listed',
        contribution: '../simple/web/lang/de.json',
        message: expect.stringContaining('leaves the plugin folder'),
      });
    });

    it('should skip a file that is not JSON, holds non-strings or is too large, and name it in problems', async () => {
      const fr = (await get('/api/i18n/fr')).json<ApiI18nMessages>();
      expect(Object.keys(fr.messages).some((k) => k.startsWith('plugin.broken_lang.'))).toBe(false);
      const broken = fr.problems.find((p) => p.plugin === 'broken_lang');
      expect(broken?.contribution).toBe('web/lang/fr.json');
      expect(broken?.message).toContain('not valid JSON');
      const en = (await get('/api/i18n/en')).json<ApiI18nMessages>();
      expect(en.messages['plugin.broken_lang.title']).toBe('Broken');
      expect(Object.keys(en.messages).some((k) => k.startsWith('plugin.numbers.'))).toBe(false);
      expect(en.problems.find((p) => p.plugin === 'numbers')?.message).toContain('`count.max` is a number');
      expect(en.problems.find((p) => p.plugin === 'huge')?.message).toContain('more than 262144');
    });

    it('should refuse something that is not a locale with a 400', async () => {
      for (const locale of ['english', 'FR', 'fr_FR', '..%2Fetc']) {
        const response = await get(`/api/i18n/${locale}`);
        expect(response.statusCode).toBe(400);
        expect(response.json().error).toMatchObject({
          code: 'JOVIAN_E_SERVER_BAD_REQUEST',
          hint: expect.stringContaining('pt-BR'),
        });
      }
    });
  });

  describe('POST /api/plugins/:id/panels/:panel', () => {
    it('should activate the plugin and answer its provider’s data', async () => {
      const first = await post('/api/plugins/dashboard/panels/stats', { range: '7d' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ data: { echo: { range: '7d' }, calls: 1 } });
      expect(host.record('dashboard')?.state).toBe('ready');
      const empty = await post('/api/plugins/dashboard/panels/stats');
      expect(empty.json()).toEqual({ data: { echo: null, calls: 2 } });
    });

    it('should refuse a panel the plugin does not declare, and an unknown plugin, with a 404', async () => {
      const undeclared = await post('/api/plugins/dashboard/panels/secret', {});
      expect(undeclared.statusCode).toBe(404);
      expect(undeclared.json().error).toMatchObject({
        code: 'JOVIAN_E_CONTRIBUTION_UNDECLARED',
        hint: expect.stringContaining('contributes.ui.panels'),
      });
      const unknown = await post('/api/plugins/nobody/panels/stats', {});
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('JOVIAN_E_PLUGIN_NOT_FOUND');
    });

    it('should refuse a disabled plugin’s panel with a 409 that says so, without running it', async () => {
      const response = await post('/api/plugins/off/panels/main', {});
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({
        code: 'JOVIAN_E_PLUGIN_UNAVAILABLE',
        message: expect.stringContaining('disabled'),
      });
      const route = await get('/api/x/off/status');
      expect(route.statusCode).toBe(409);
      expect(route.json().error.code).toBe('JOVIAN_E_PLUGIN_UNAVAILABLE');
      expect(host.record('off')?.state).toBe('disabled');
    });
  });

  describe('GET /api/plugins/:id/metrics', () => {
    it('should read the metrics of an active plugin that declares them', async () => {
      await post('/api/plugins/dashboard/panels/stats', {});
      const response = await get('/api/plugins/dashboard/metrics');
      expect(response.statusCode).toBe(200);
      const body = response.json<ApiPluginMetrics>();
      expect(body).toMatchObject({ id: 'dashboard', declared: true, values: { uptime: 1.5 } });
      expect(body.values?.panelCalls).toBeGreaterThanOrEqual(1);
      expect(Date.parse(body.at)).not.toBeNaN();
    });

    it('should answer null values for a plugin that is not active, without activating it', async () => {
      const body = (await get('/api/plugins/idle_metrics/metrics')).json<ApiPluginMetrics>();
      expect(body).toMatchObject({ id: 'idle_metrics', declared: true, values: null });
      expect(host.record('idle_metrics')?.state).toBe('resolved');
    });

    it('should answer null values for a plugin that declares no metrics', async () => {
      const body = (await get('/api/plugins/simple/metrics')).json<ApiPluginMetrics>();
      expect(body).toMatchObject({ id: 'simple', declared: false, values: null });
    });

    it('should refuse metrics that are not numbers, and an unknown plugin', async () => {
      expect(host.record('bad_metrics')?.state).toBe('ready');
      const invalid = await get('/api/plugins/bad_metrics/metrics');
      expect(invalid.statusCode).toBe(500);
      expect(invalid.json().error).toMatchObject({
        code: 'JOVIAN_E_METRICS_INVALID',
        message: expect.stringContaining('`label`'),
      });
      const unknown = await get('/api/plugins/nobody/metrics');
      expect(unknown.statusCode).toBe(404);
    });
  });
});
