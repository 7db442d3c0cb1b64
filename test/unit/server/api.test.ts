/**
 * The HTTP API through `app.inject()` over a real host: every refusal of the token and Origin checks,
 * the plugin registry and its actions, logs, health and the chat pipeline.
 */
import { readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHooks, PluginHost } from '../../../src/index.js';
import {
  type ApiMetrics,
  type ApiPluginDetails,
  createServer,
  type JovianServer,
  tokenFile,
} from '../../../src/server/index.js';
import { startChatHost } from '../../helpers/chat-host.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

describe('HTTP API', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  const auth = () => ({ authorization: `Bearer ${server.token}` });

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('greeter', {
      manifest: { contributes: { hooks: ['on_chat'] }, changelog: 'CHANGELOG.md' },
      files: {
        'CHANGELOG.md': '# 1.0.0\n- greets\n',
        'web/panels/main.js': 'export function mount(element) { element.textContent = "hi"; }\n',
        'secret.txt': 'not for the browser',
      },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('on_chat', (m) => { ctx.logger.info('saw ' + m.content); return { greeted: true }; }); } };",
    });
    await fixture.add('needs_greeter', {
      manifest: { dependencies: [{ id: 'greeter' }], changelog: '../greeter/CHANGELOG.md' },
    });
    await fixture.add('weather', {
      manifest: {
        contributes: {
          routes: [
            { method: 'GET', path: '/forecast/:city' },
            { method: 'POST', path: '/report' },
          ],
        },
      },
      code: `export default { async activate(ctx) {
        await ctx.contributions.registerRoute('GET', '/forecast/:city', (req) => ({ status: 200, body: { city: req.params.city, days: Number(req.query.days ?? 1) } }));
        await ctx.contributions.registerRoute('POST', '/report', (req) => ({ status: 201, headers: { 'x-seen': 'yes' }, body: { got: req.body } }));
      } };`,
    });
    await fixture.add('tuned', {
      manifest: {
        config_schema: {
          version: 1,
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: {
              retries: { type: 'integer', minimum: 0, maximum: 5, default: 1 },
              limits: { type: 'object', properties: { max: { type: 'integer', maximum: 10 } } },
            },
          },
        },
      },
    });
    await symlink(
      join(fixture.pluginsDir, 'greeter', 'secret.txt'),
      join(fixture.pluginsDir, 'greeter', 'web', 'link.txt'),
    );
    host = await startChatHost(fixture);
    server = await createServer({ host });
  });
  afterAll(async () => {
    await server?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  describe('access', () => {
    it('should keep the token in the data dir, readable by its owner only, and reuse it', async () => {
      const file = tokenFile(fixture.dataDir);
      expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
      expect(server.token).toMatch(/^[0-9a-f]{64}$/);
      const again = await createServer({ host });
      expect(again.token).toBe(server.token);
      await again.app.close();
    });

    it('should refuse a request without a token, with a wrong one, or with a malformed header', async () => {
      for (const headers of [
        {},
        { authorization: `Bearer ${'0'.repeat(64)}` },
        { authorization: server.token },
      ]) {
        const response = await server.app.inject({ method: 'GET', url: '/api/plugins', headers });
        expect(response.statusCode).toBe(401);
        expect(response.json().error).toMatchObject({
          code: 'JOVIAN_E_SERVER_UNAUTHORIZED',
          hint: expect.stringContaining('server-token'),
        });
      }
      const wrongCookie = await server.app.inject({
        method: 'GET',
        url: '/api/health',
        headers: { cookie: `jovian_token=${'f'.repeat(64)}` },
      });
      expect(wrongCookie.statusCode).toBe(401);
    });

    it('should log in with the token URL: an HttpOnly, SameSite cookie that then opens the API', async () => {
      const bad = await server.app.inject({ method: 'GET', url: '/login?token=nope' });
      expect(bad.statusCode).toBe(401);
      const login = await server.app.inject({ method: 'GET', url: `/login?token=${server.token}` });
      expect(login.statusCode).toBe(303);
      expect(login.headers.location).toBe('/');
      const cookie = String(login.headers['set-cookie']);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/plugins',
        headers: { cookie: cookie.split(';')[0]! },
      });
      expect(response.statusCode).toBe(200);
    });

    it('should refuse a state change from another origin, even with the cookie, and allow its own', async () => {
      const cookie = `jovian_token=${server.token}`;
      const foreign = await server.app.inject({
        method: 'POST',
        url: '/api/plugins/greeter/disable',
        headers: { cookie, origin: 'http://evil.example', host: '127.0.0.1:4300' },
      });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json().error.code).toBe('JOVIAN_E_SERVER_ORIGIN_REFUSED');
      expect(host.record('greeter')?.state).not.toBe('disabled');
      const own = await server.app.inject({
        method: 'POST',
        url: '/api/plugins/greeter/restart',
        headers: { cookie, origin: 'http://127.0.0.1:4300', host: '127.0.0.1:4300' },
      });
      expect(own.statusCode).toBe(200);
    });
  });

  describe('plugins', () => {
    it('should list the plugins and give one plugin’s details', async () => {
      const list = await server.app.inject({ method: 'GET', url: '/api/plugins', headers: auth() });
      expect(
        list
          .json()
          .plugins.map((p: { id: string }) => p.id)
          .sort(),
      ).toEqual(['greeter', 'needs_greeter', 'tuned', 'weather']);
      const one = await server.app.inject({ method: 'GET', url: '/api/plugins/greeter', headers: auth() });
      expect(one.json()).toMatchObject({ id: 'greeter', contributes: { hooks: [{ name: 'on_chat' }] } });
      const missing = await server.app.inject({ method: 'GET', url: '/api/plugins/nope', headers: auth() });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('JOVIAN_E_PLUGIN_NOT_FOUND');
    });

    it('should serve a plugin’s changelog, and only from inside its folder', async () => {
      const ok = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/changelog',
        headers: auth(),
      });
      expect([ok.statusCode, ok.headers['content-type'], ok.body]).toEqual([
        200,
        'text/markdown; charset=utf-8',
        '# 1.0.0\n- greets\n',
      ]);
      const outside = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/needs_greeter/changelog',
        headers: auth(),
      });
      expect([outside.statusCode, outside.json().error.message]).toEqual([
        404,
        'the changelog of `needs_greeter` is outside its folder',
      ]);
      const none = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/tuned/changelog',
        headers: auth(),
      });
      expect(none.statusCode).toBe(404);
    });

    it('should disable a plugin (its dependents become blocked) and enable it again', async () => {
      const off = await server.app.inject({
        method: 'POST',
        url: '/api/plugins/greeter/disable',
        headers: auth(),
      });
      expect(off.json()).toMatchObject({ id: 'greeter', enabled: false, state: 'disabled' });
      expect(host.record('needs_greeter')?.state).toBe('blocked');
      const on = await server.app.inject({
        method: 'POST',
        url: '/api/plugins/greeter/enable',
        headers: auth(),
      });
      expect(on.json()).toMatchObject({ id: 'greeter', enabled: true });
      expect(host.record('needs_greeter')?.state).toBe('resolved');
    });

    it('should answer unknown routes and malformed JSON in the API’s error shape', async () => {
      const unknown = await server.app.inject({ method: 'GET', url: '/api/nothing-here', headers: auth() });
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'JOVIAN_E_SERVER_NOT_FOUND']);
      const malformed = await server.app.inject({
        method: 'POST',
        url: '/api/chat',
        headers: { ...auth(), 'content-type': 'application/json' },
        payload: '{"message": ',
      });
      expect([malformed.statusCode, malformed.json().error.code]).toEqual([
        400,
        'JOVIAN_E_SERVER_BAD_REQUEST',
      ]);
    });

    it('should refuse unknown actions, core plugins and reloads outside developer mode, with their codes', async () => {
      const cases = [
        ['/api/plugins/greeter/explode', 404, 'JOVIAN_E_SERVER_NOT_FOUND'],
        ['/api/plugins/bridge/disable', 403, 'JOVIAN_E_CORE_PLUGIN_LOCKED'],
        ['/api/plugins/greeter/reload', 409, 'JOVIAN_E_RELOAD_REFUSED'],
      ] as const;
      for (const [url, status, code] of cases) {
        const response = await server.app.inject({ method: 'POST', url, headers: auth() });
        expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
      }
    });
  });

  describe('plugin assets', () => {
    it('should serve a file of the plugin’s web/ folder with its type, behind the token', async () => {
      const url = '/plugins/greeter/assets/panels/main.js';
      expect((await server.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      const response = await server.app.inject({ method: 'GET', url, headers: auth() });
      expect([response.statusCode, response.headers['content-type']]).toEqual([
        200,
        'text/javascript; charset=utf-8',
      ]);
      expect(response.body).toContain('export function mount');
    });

    it('should refuse every path that leaves web/: .. raw or encoded, and a symbolic link leading out', async () => {
      // A `..` segment (raw or `%2e%2e`) is resolved in the URL before routing: the path is then a page of
      // the WebUI, never the file.
      for (const url of [
        '/plugins/greeter/assets/../../x',
        '/plugins/greeter/assets/../secret.txt',
        '/plugins/greeter/assets/%2e%2e/secret.txt',
      ]) {
        const response = await server.app.inject({ method: 'GET', url, headers: auth() });
        expect(response.body).not.toContain('not for the browser');
        expect([
          url,
          response.statusCode === 404 || /text\/html/.test(`${response.headers['content-type']}`),
        ]).toEqual([url, true]);
      }
      for (const url of [
        '/plugins/greeter/assets/panels/..%2f..%2fsecret.txt',
        '/plugins/greeter/assets/link.txt',
        '/plugins/greeter/assets/panels',
      ]) {
        const response = await server.app.inject({ method: 'GET', url, headers: auth() });
        expect([url, response.statusCode]).toEqual([url, 404]);
        expect(response.body).not.toContain('not for the browser');
      }
    });
  });

  describe('routes plugins contribute', () => {
    it('should activate the plugin on the first call of its route and pass params, query and body', async () => {
      expect(host.record('weather')?.state).toBe('resolved');
      const forecast = await server.app.inject({
        method: 'GET',
        url: '/api/x/weather/forecast/Lyon?days=3',
        headers: auth(),
      });
      expect([forecast.statusCode, forecast.json()]).toEqual([200, { city: 'Lyon', days: 3 }]);
      expect(host.record('weather')?.outcome.activatedBy).toBe('onRoute:/forecast/:city');
      const report = await server.app.inject({
        method: 'POST',
        url: '/api/x/weather/report',
        headers: auth(),
        payload: { sky: 'clear' },
      });
      expect([report.statusCode, report.headers['x-seen'], report.json()]).toEqual([
        201,
        'yes',
        { got: { sky: 'clear' } },
      ]);
    });

    it('should answer 404 for a route the plugin does not declare, and 401 without the token', async () => {
      const undeclared = await server.app.inject({
        method: 'GET',
        url: '/api/x/weather/secret',
        headers: auth(),
      });
      expect([undeclared.statusCode, undeclared.json().error.code]).toEqual([
        404,
        'JOVIAN_E_CONTRIBUTION_UNDECLARED',
      ]);
      const anonymous = await server.app.inject({ method: 'GET', url: '/api/x/weather/forecast/Lyon' });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe('config', () => {
    const put = (values: unknown, query = '') =>
      server.app.inject({
        method: 'PUT',
        url: `/api/plugins/tuned/config${query}`,
        headers: auth(),
        payload: { values },
      });
    const file = () => join(fixture.dataDir, 'plugin-data', 'tuned', 'config.yaml');

    it('should give the effective config with its defaults and the file it lives in', async () => {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/tuned/config',
        headers: auth(),
      });
      expect(response.json()).toEqual({
        file: file(),
        values: { retries: 1 },
        schema: expect.objectContaining({
          type: 'object',
          properties: expect.objectContaining({ retries: expect.objectContaining({ maximum: 5 }) }),
        }),
      });
    });

    it('should answer a null schema for a plugin that declares none', async () => {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/config',
        headers: auth(),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ schema: null });
    });

    it('should refuse invalid values with a JSON pointer and a message for each, writing nothing', async () => {
      const response = await put({ retries: 9, 'limits.max': 'many', colour: 'red' });
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body.error.code).toMatch(/^JOVIAN_E_CONFIG_/);
      expect(body.issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ pointer: '/retries', message: '`retries` must be <= 5' }),
          expect.objectContaining({ pointer: '/limits/max', message: expect.stringContaining('integer') }),
          expect.objectContaining({ pointer: '/colour', kind: 'unknown' }),
        ]),
      );
      await expect(stat(file())).rejects.toThrow();
    });

    it('should preview a change with dry_run=1 without writing, then write it', async () => {
      const dry = await put({ retries: 3 }, '?dry_run=1');
      expect(dry.json()).toEqual({ dryRun: true, changes: [{ key: 'retries', from: 1, to: 3 }] });
      await expect(stat(file())).rejects.toThrow();
      const wet = await put({ retries: 3, 'limits.max': 7 });
      expect(wet.json()).toMatchObject({ dryRun: false, values: { retries: 3, limits: { max: 7 } } });
      expect(await readFile(file(), 'utf8')).toMatch(/retries: 3[\s\S]*max: 7/);
      const bad = await server.app.inject({
        method: 'PUT',
        url: '/api/plugins/tuned/config',
        headers: auth(),
        payload: { retries: 3 },
      });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('chat, logs and health', () => {
    it('should send a message through the chat hooks and show the plugin’s log line', async () => {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/chat',
        headers: auth(),
        payload: { message: 'hello' },
      });
      expect(response.json()).toMatchObject({
        steps: [expect.objectContaining({ hook: 'on_chat', plugin: 'greeter', result: { greeted: true } })],
        logs: [expect.objectContaining({ plugin: 'greeter', message: 'saw hello' })],
      });
      const bad = await server.app.inject({ method: 'POST', url: '/api/chat', headers: auth(), payload: {} });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('JOVIAN_E_SERVER_BAD_REQUEST');
    });

    it('should give the tail of a plugin’s log, filtered by level', async () => {
      host.logs.write('greeter', 'warn', 'something odd');
      const all = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs?tail=50',
        headers: auth(),
      });
      expect(all.json().lines.map((l: { message: string }) => l.message)).toEqual(
        expect.arrayContaining(['saw hello', 'something odd']),
      );
      const warnings = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs?level=warn',
        headers: auth(),
      });
      expect(warnings.json().lines.map((l: { message: string }) => l.message)).toEqual(['something odd']);
      const bad = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs?level=loud',
        headers: auth(),
      });
      expect(bad.statusCode).toBe(400);
    });

    it('should serve metrics in the Prometheus text format, behind the token', async () => {
      expect((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const response = await server.app.inject({ method: 'GET', url: '/metrics', headers: auth() });
      expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
      expect(response.body).toContain('# TYPE jovian_plugins gauge');
      expect(response.body).toMatch(/^jovian_plugins\{state="ready"\} [1-9]/m);
      expect(response.body).toMatch(/^jovian_plugin_failures_total\{plugin_id="greeter"\} 0$/m);
    });

    it('should filter the tail by text, and refuse a tail that is not a number of lines', async () => {
      host.logs.write('greeter', 'info', 'Needle in the log');
      host.logs.write('greeter', 'info', 'hay');
      const found = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs?q=needle',
        headers: auth(),
      });
      expect(found.json().lines.map((l: { message: string }) => l.message)).toEqual(['Needle in the log']);
      const bad = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs?tail=x',
        headers: auth(),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('JOVIAN_E_SERVER_BAD_REQUEST');
    });

    it('should set a plugin’s level, keep the global level as its floor, and open a debug period', async () => {
      const put = (payload: Record<string, unknown>) =>
        server.app.inject({
          method: 'PUT',
          url: '/api/plugins/greeter/logs/level',
          headers: auth(),
          payload,
        });
      const set = await put({ level: 'debug' });
      expect(set.json()).toMatchObject({
        id: 'greeter',
        level: 'debug',
        effective: 'info',
        floor: 'info',
        debugUntil: null,
      });
      host.logs.write('greeter', 'debug', 'not kept: below the floor');
      const debug = await put({ debug_for_ms: 60_000 });
      expect(debug.json()).toMatchObject({ effective: 'debug' });
      expect(Date.parse(debug.json().debugUntil)).toBeGreaterThan(Date.now());
      host.logs.write('greeter', 'debug', 'kept: debug period');
      const lines = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs?level=debug&tail=1000',
        headers: auth(),
      });
      const messages = lines.json().lines.map((l: { message: string }) => l.message);
      expect(messages).toContain('kept: debug period');
      expect(messages).not.toContain('not kept: below the floor');
      const ended = await put({ debug_for_ms: 0, level: null });
      expect(ended.json()).toMatchObject({ level: null, effective: 'info', debugUntil: null });
      const read = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs/level',
        headers: auth(),
      });
      expect(read.json()).toEqual(ended.json());
      for (const payload of [
        { level: 'loud' },
        { debug_for_ms: -1 },
        { debug_for_ms: 1.5 },
        {},
        { colour: 'red' },
      ]) {
        const refused = await put(payload);
        expect(refused.statusCode).toBe(400);
        expect(refused.json().error.code).toBe('JOVIAN_E_LOG_LEVEL_INVALID');
      }
    });

    it('should count the hook calls each plugin served, as JSON metrics and as the plugin’s usage', async () => {
      const metrics = await server.app.inject({ method: 'GET', url: '/api/metrics', headers: auth() });
      expect((await server.app.inject({ method: 'GET', url: '/api/metrics' })).statusCode).toBe(401);
      const body = metrics.json() as ApiMetrics;
      const taps = body.metrics.find((m) => m.name === 'jovian_hook_tap_duration_seconds');
      expect(taps?.type).toBe('histogram');
      const count = taps?.values.find(
        (v) =>
          v.metricName === 'jovian_hook_tap_duration_seconds_count' &&
          v.labels.plugin_id === 'greeter' &&
          v.labels.hook === 'on_chat',
      );
      expect(count?.value).toBeGreaterThanOrEqual(1);
      const activations = body.metrics.find((m) => m.name === 'jovian_plugin_activations_total');
      const greeterReady = activations?.values.find(
        (v) => v.labels.plugin_id === 'greeter' && v.labels.outcome === 'ready',
      );
      expect(greeterReady?.value).toBeGreaterThanOrEqual(1);
      const details = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter',
        headers: auth(),
      });
      const usage = (details.json() as ApiPluginDetails).usage;
      expect(usage.calls).toBe(count?.value);
      expect(usage.lastCallAt).not.toBeNull();
      expect(usage.averageMs).toBeGreaterThanOrEqual(0);
      const idle = await server.app.inject({ method: 'GET', url: '/api/plugins/tuned', headers: auth() });
      expect((idle.json() as ApiPluginDetails).usage).toEqual({
        calls: 0,
        lastCallAt: null,
        averageMs: null,
      });
    });

    it('should download a plugin’s log lines from the log file, as NDJSON', async () => {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/plugins/greeter/logs/download',
        headers: auth(),
      });
      expect(response.headers['content-disposition']).toBe('attachment; filename="greeter.log.ndjson"');
      const lines = response.body
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { plugin: string; msg: string });
      expect(lines.every((line) => line.plugin === 'greeter')).toBe(true);
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['[plugin:greeter] saw hello', '[plugin:greeter] something odd']),
      );
    });

    it('should describe every route it serves in its OpenAPI document', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/api/docs', headers: auth() });
      const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe('3.1.0');
      const described = new Set(
        Object.entries(document.paths).flatMap(([path, operations]) =>
          Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
        ),
      );
      const asOpenApi = (route: string) =>
        route
          .replace(/:(\w+)/g, '{$1}')
          .replace('/*', '/{path}')
          .replace(/^(POST|PUT|PATCH|DELETE) \/api\/x\//, 'GET /api/x/');
      const undocumented = server.routes.map(asOpenApi).filter((route) => !described.has(route));
      expect(undocumented).toEqual([]);
    });

    it('should report the host’s health and each plugin’s state', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/api/health', headers: auth() });
      expect(response.json()).toMatchObject({
        status: 'ok',
        degradedBy: [],
        plugins: { greeter: { state: 'ready' }, needs_greeter: { state: 'resolved' } },
      });
    });
  });
});
