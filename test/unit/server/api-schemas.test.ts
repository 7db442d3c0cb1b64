/**
 * The schemas /api/docs publishes describe what the routes really answer: real answers of a real host,
 * success and refusal, are checked against them with Ajv; and every value of the WebUI's types fits them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Static } from 'typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { ChatHooks, PluginHost } from '../../../src/index.js';
import {
  API_SCHEMAS,
  type ApiConfigUpdate,
  type ApiEnableResult,
  type ApiLogLine,
  type ApiPluginConfig,
  type ApiPluginDetails,
  type ApiPluginSummary,
  type ApiReloadResult,
  type ApiSchemaName,
  createServer,
  type JovianServer,
} from '../../../src/server/index.js';
import { compileSchema, schemaProblems } from '../../helpers/api-schema-fit.js';
import { startChatHost } from '../../helpers/chat-host.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

const fits = schemaProblems;

describe('API schemas', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const answer = await server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${server.token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: answer.statusCode, body: answer.json() as unknown };
  };

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('tuned', {
      manifest: {
        contributes: { hooks: ['on_chat'] },
        config_schema: {
          version: 1,
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: { retries: { type: 'integer', minimum: 0, maximum: 5, default: 1 } },
          },
        },
      },
      code: "export default { activate(ctx) { ctx.logger.info('up'); } };",
    });
    host = await startChatHost(fixture);
    await host.activate('tuned');
    server = await createServer({ host });
  });
  afterAll(async () => {
    await server?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should describe every answer the routes give, and refusals', async () => {
    const cases: [ApiSchemaName, 'GET' | 'POST' | 'PUT', string, unknown?][] = [
      ['ApiPluginList', 'GET', '/api/plugins'],
      ['ApiPluginDetails', 'GET', '/api/plugins/tuned'],
      ['ApiLogLines', 'GET', '/api/plugins/tuned/logs'],
      ['ApiPluginConfig', 'GET', '/api/plugins/tuned/config'],
      ['ApiConfigUpdate', 'PUT', '/api/plugins/tuned/config?dry_run=1', { values: { retries: 2 } }],
      ['ApiConfigUpdate', 'PUT', '/api/plugins/tuned/config', { values: { retries: 3 } }],
      ['ApiConfigRefusal', 'PUT', '/api/plugins/tuned/config', { values: { retries: 9 } }],
      ['ApiHealth', 'GET', '/api/health'],
      ['ApiError', 'GET', '/api/plugins/nobody'],
      ['ApiEnableResult', 'POST', '/api/plugins/tuned/disable'],
      ['ApiEnableResult', 'POST', '/api/plugins/tuned/enable'],
      ['ApiUiContributions', 'GET', '/api/ui'],
      ['ApiI18nMessages', 'GET', '/api/i18n/fr'],
      ['ApiPluginMetrics', 'GET', '/api/plugins/tuned/metrics'],
      ['ApiError', 'POST', '/api/plugins/tuned/panels/none', {}],
      ['ApiError', 'POST', '/api/plugins/tuned/reload'],
    ];
    for (const [name, method, url, payload] of cases) {
      const { body } = await call(method, url, payload);
      expect({ url, problems: fits(name, body) }).toEqual({ url, problems: [] });
    }
    const { body: lines } = await call('GET', '/api/plugins/tuned/logs');
    expect((lines as { lines: unknown[] }).lines.length).toBeGreaterThan(0);
  });

  it('should describe the answers of a reload in developer mode, reloaded or not', async () => {
    const devFixture = await createFixture();
    const dir = await devFixture.add('edited', { manifest: { activation: ['onStartup'] } });
    const devHost = await startChatHost(devFixture, { developerMode: true });
    const devServer = await createServer({ host: devHost });
    try {
      const reload = async () => {
        const answer = await devServer.app.inject({
          method: 'POST',
          url: '/api/plugins/edited/reload',
          headers: { authorization: `Bearer ${devServer.token}` },
        });
        return answer.json() as { ok: boolean };
      };
      const reloaded = await reload();
      expect(reloaded.ok).toBe(true);
      expect(fits('ApiReloadResult', reloaded)).toEqual([]);
      await writeFile(join(dir, 'index.mjs'), "export default { activate() { throw new Error('no'); } };\n");
      const failed = await reload();
      expect(failed.ok).toBe(false);
      expect(fits('ApiReloadResult', failed)).toEqual([]);
    } finally {
      await devServer.app.close();
      await devHost.stop();
      await devFixture.cleanup();
    }
  });

  it('should publish them in /api/docs, every reference resolving to one of them', async () => {
    const { body } = await call('GET', '/api/docs');
    const document = body as {
      components: { schemas: Record<string, object> };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(document.components.schemas).sort()).toEqual(Object.keys(API_SCHEMAS).sort());
    for (const schema of Object.values(document.components.schemas))
      expect(() => compileSchema(schema)).not.toThrow();
    const refs = [...JSON.stringify(document.paths).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.filter((name) => !(name in document.components.schemas))).toEqual([]);
    expect(document.paths['/api/plugins']?.['get']?.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiPluginList' } } },
    });
    expect(document.paths['/api/plugins/{id}/config']?.['put']?.responses['400']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiConfigRefusal' } } },
    });
  });

  it('should refuse what the types exclude, so a schema that accepts anything fails here', () => {
    expect(fits('ApiPluginList', { plugins: [{ id: 'x', state: 'sleeping' }] })).not.toEqual([]);
    expect(fits('ApiConfigRefusal', { error: { code: 'X', message: 'm', hint: null } })).not.toEqual([]);
  });

  it('should accept every value of the types the WebUI compiles against', () => {
    type Of<N extends ApiSchemaName> = Static<(typeof API_SCHEMAS)[N]>;
    // The types promise read-only values; the schemas say nothing of that.
    type Writable<T> = T extends readonly (infer E)[]
      ? Writable<E>[]
      : T extends object
        ? { -readonly [K in keyof T]: Writable<T[K]> }
        : T;
    expectTypeOf<{ plugins: Writable<ApiPluginSummary>[] }>().toExtend<Of<'ApiPluginList'>>();
    expectTypeOf<Writable<ApiPluginDetails>>().toExtend<Of<'ApiPluginDetails'>>();
    expectTypeOf<Writable<ApiEnableResult>>().toExtend<Of<'ApiEnableResult'>>();
    expectTypeOf<Writable<ApiReloadResult>>().toExtend<Of<'ApiReloadResult'>>();
    expectTypeOf<{ lines: Writable<ApiLogLine>[] }>().toExtend<Of<'ApiLogLines'>>();
    expectTypeOf<Writable<ApiPluginConfig>>().toExtend<Of<'ApiPluginConfig'>>();
    expectTypeOf<Writable<ApiConfigUpdate>>().toExtend<Of<'ApiConfigUpdate'>>();
  });
});
