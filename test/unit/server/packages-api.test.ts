/**
 * `/api/packages` and the install actions through `inject()`: refusals in the API's error shape, an
 * uploaded file never left behind after a refusal, and answers that fit the schemas /api/docs publishes.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHooks, PluginHost } from '../../../src/index.js';
import { API_SCHEMAS, createServer, type JovianServer } from '../../../src/server/index.js';
import { startChatHost } from '../../helpers/chat-host.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';
import { writePlugin } from '../packaging/ssh-fixtures.js';

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, as a client would
type Answer = Record<string, any>;

describe('the packages API', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: unknown,
    contentType?: string,
  ) => {
    const answer = await server.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: answer.statusCode, json: () => answer.json() as Answer };
  };
  const uploads = () => readdir(join(fixture.dataDir, 'cache', 'uploads')).catch(() => []);

  beforeAll(async () => {
    fixture = await createFixture();
    host = await startChatHost(fixture);
    server = await createServer({ host });
  });
  afterAll(async () => {
    await server?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should refuse a request without a package, a file name or a kept upload', async () => {
    const empty = await call('POST', '/api/packages', {});
    expect(empty.status).toBe(400);
    expect(empty.json().error.code).toBe('JOVIAN_E_SERVER_BAD_REQUEST');
    const named = await call(
      'POST',
      '/api/packages?filename=run.sh',
      Buffer.from('x'),
      'application/octet-stream',
    );
    expect(named.status).toBe(400);
    expect(named.json().error.message).toContain('run.sh');
    const unknown = await call('POST', '/api/packages', { upload: 'f'.repeat(32), consent: true });
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.code).toBe('JOVIAN_E_SERVER_UPLOAD_UNKNOWN');
  });

  it('should remove an uploaded file that is not a package', async () => {
    const refused = await call(
      'POST',
      '/api/packages?filename=broken.tgz',
      Buffer.from('not a tarball'),
      'application/octet-stream',
    );
    expect(refused.status).toBe(400);
    expect(refused.json().error.code).toMatch(/^JOVIAN_E_PACKAGE_/);
    expect(await uploads()).toEqual([]);
  });

  it('should answer a dry run with the plan, fitting ApiInstallAnswer, and install nothing', async () => {
    const folder = await writePlugin(join(fixture.root, 'src', 'hello'));
    const answer = await call('POST', '/api/packages', { source: folder, dry_run: true });
    expect(answer.status).toBe(200);
    expect(ajv.validate(API_SCHEMAS.ApiInstallAnswer, answer.json()), ajv.errorsText()).toBe(true);
    expect(answer.json()).toMatchObject({
      status: 'dry-run',
      upload: null,
      outcomes: [{ plan: { id: 'hello', version: '1.2.3', trust: 'unsigned', action: 'install' } }],
    });
    expect(host.record('hello')).toBeUndefined();
    const installed = await call('GET', '/api/packages');
    expect(installed.json()).toEqual({ installed: [] });
    expect(ajv.validate(API_SCHEMAS.ApiInstalledPackages, installed.json())).toBe(true);
  });

  it('should name what is missing for updates, uninstall and rollback', async () => {
    const updates = await call('GET', '/api/packages/updates');
    expect(updates.status).toBe(400);
    expect(updates.json().error.code).toBe('JOVIAN_E_INSTALL_SOURCE_UNKNOWN');
    for (const [method, url] of [
      ['DELETE', '/api/plugins/nowhere'],
      ['POST', '/api/plugins/nowhere/rollback'],
      ['POST', '/api/plugins/nowhere/update'],
    ] as const) {
      const answer = await call(method, url, method === 'POST' ? {} : undefined);
      expect(answer.json().error.code, url).toMatch(
        /JOVIAN_E_PLUGIN_NOT_INSTALLED|JOVIAN_E_INSTALL_SOURCE_UNKNOWN/,
      );
    }
  });
});
