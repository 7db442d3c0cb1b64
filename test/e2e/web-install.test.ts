/**
 * Installs through a running `jovian serve`: the HTTP API takes a package, the running host serves the
 * new plugin without a restart, an update that widens permissions waits for consent, a version that
 * fails its first start is undone while the previous one keeps answering, and an uninstall is refused
 * while another plugin requires the plugin.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jovian } from './cli-helpers.js';
import { type Publisher, publisher } from './package-fixtures.js';
import { apiCall } from './plugin-project.js';
import { type ServeProcess, startServe } from './serve-process.js';

let root: string;
let dataDir: string;
let publish: Publisher;
let serve: ServeProcess;

const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  apiCall<T>(serve, method, path, body);

async function upload(file: string, query = ''): Promise<{ status: number; json: Answer }> {
  const response = await fetch(
    `${serve.base}/api/packages?filename=${encodeURIComponent(basename(file))}${query}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/octet-stream' },
      body: await readFile(file),
    },
  );
  return { status: response.status, json: (await response.json()) as Answer };
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, as a client would
type Answer = Record<string, any>;

const hello = (id: string) => api<{ version?: string }>('GET', `/api/x/${id}/hello`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'jovian-e2e-webinstall-'));
  dataDir = join(root, 'data');
  publish = await publisher(root, dataDir);
  await mkdir(join(root, 'plugins'), { recursive: true });
  serve = await startServe(['--data-dir', dataDir, '--plugins-dir', join(root, 'plugins')]);
}, 30_000);

afterAll(async () => {
  await serve?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('installing through jovian serve', () => {
  it('should install an uploaded package that then answers its route, without a restart', async () => {
    const file = await publish.pack({ id: 'greeter', version: '1.0.0' });
    expect((await hello('greeter')).status).toBe(404);
    const installed = await upload(file);
    expect(installed.status, JSON.stringify(installed.json)).toBe(200);
    expect(installed.json).toMatchObject({
      status: 'installed',
      upload: null,
      outcomes: [
        {
          status: 'installed',
          plan: {
            id: 'greeter',
            version: '1.0.0',
            trust: 'official',
            signature: { signer: 'dev@example.org' },
            action: 'install',
          },
        },
      ],
    });
    expect(await hello('greeter')).toEqual({ status: 200, json: { id: 'greeter', version: '1.0.0' } });
    const listed = await api<{ plugins: { id: string; version: string }[] }>('GET', '/api/plugins');
    expect(listed.json.plugins).toContainEqual(expect.objectContaining({ id: 'greeter', version: '1.0.0' }));
  }, 30_000);

  it('should hold an update that adds network_outbound for consent, with the diff, and change nothing until then', async () => {
    const file = await publish.pack({
      id: 'greeter',
      version: '1.1.0',
      permissions: { network_outbound: ['api.example.org'] },
    });
    const catalog = await publish.catalog([{ id: 'greeter', version: '1.1.0', file }]);
    await writeFile(join(dataDir, 'jovian.yaml'), `packages:\n  catalog: ${catalog}\n`);

    const updates = await api('GET', '/api/packages/updates');
    expect(updates.json).toMatchObject({
      updates: [{ id: 'greeter', installed: '1.0.0', available: '1.1.0' }],
    });

    const held = await api<Answer>('POST', '/api/plugins/greeter/update');
    expect(held.status).toBe(200);
    expect(held.json.status).toBe('needs-consent');
    expect(held.json.outcomes[0].plan).toMatchObject({
      version: '1.1.0',
      action: 'update',
      previous: { version: '1.0.0' },
      changes: [{ permission: 'network_outbound', change: 'added', words: 'connect to api.example.org' }],
    });
    expect(held.json.outcomes[0].plan.consent.join(' ')).toContain('api.example.org');
    expect((await hello('greeter')).json).toEqual({ id: 'greeter', version: '1.0.0' });

    const accepted = await api<Answer>('POST', '/api/plugins/greeter/update', {
      consent: true,
      hash: held.json.outcomes[0].plan.hash,
    });
    expect(accepted.json.status, JSON.stringify(accepted.json)).toBe('installed');
    expect((await hello('greeter')).json).toEqual({ id: 'greeter', version: '1.1.0' });
  }, 30_000);

  it('should undo an update whose new version fails to activate, the previous one still answering', async () => {
    const file = await publish.pack({ id: 'greeter', version: '1.2.0', failActivation: 'broken on purpose' });
    const failed = await upload(file, '&consent=1');
    expect(failed.status).toBe(409);
    expect(failed.json.error.code).toBe('JOVIAN_E_INSTALL_ROLLED_BACK');
    expect(failed.json.error.message).toContain('broken on purpose');
    expect((await hello('greeter')).json).toEqual({ id: 'greeter', version: '1.1.0' });
    const details = await api('GET', '/api/plugins/greeter');
    expect(details.json).toMatchObject({ version: '1.1.0' });
  }, 30_000);

  it('should roll back to the previous kept version, which then answers', async () => {
    const back = await api('POST', '/api/plugins/greeter/rollback');
    expect(back).toEqual({ status: 200, json: { id: 'greeter', from: '1.1.0', to: '1.0.0' } });
    expect((await hello('greeter')).json).toEqual({ id: 'greeter', version: '1.0.0' });
  }, 30_000);

  it('should refuse to uninstall a plugin another requires, and uninstall both ways with cascade', async () => {
    const fan = await publish.pack({
      id: 'fan',
      version: '1.0.0',
      dependencies: [{ id: 'greeter', version: '^1.0.0' }],
    });
    expect((await api('POST', '/api/packages', { source: fan })).json).toMatchObject({ status: 'installed' });
    expect((await hello('fan')).json).toEqual({ id: 'fan', version: '1.0.0' });

    const refused = await api<{ error: { code: string; message: string } }>('DELETE', '/api/plugins/greeter');
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('JOVIAN_E_UNINSTALL_REQUIRED');
    expect(refused.json.error.message).toContain('`fan`');
    expect((await hello('greeter')).status).toBe(200);

    const removed = await api('DELETE', '/api/plugins/greeter?cascade=1');
    expect(removed).toEqual({
      status: 200,
      json: { id: 'greeter', version: '1.0.0', disabled: ['fan'] },
    });
    expect((await hello('greeter')).status).toBe(404);
    const listed = await api<{ plugins: { id: string; state: string }[] }>('GET', '/api/plugins');
    expect(listed.json.plugins.map((p) => p.id)).not.toContain('greeter');
    expect(listed.json.plugins).toContainEqual(expect.objectContaining({ id: 'fan', state: 'disabled' }));
  }, 30_000);

  it('should keep an unsigned upload for consent and install it from its reference', async () => {
    const file = await publish.pack({ id: 'loner', version: '0.1.0', unsigned: true });
    const held = await upload(file);
    expect(held.json).toMatchObject({ status: 'needs-consent', outcomes: [{ plan: { trust: 'unsigned' } }] });
    expect(held.json.upload).toMatch(/^[0-9a-f]{32}$/);
    expect((await hello('loner')).status).toBe(404);
    const done = await api('POST', '/api/packages', { upload: held.json.upload, consent: true });
    expect(done.json).toMatchObject({ status: 'installed', upload: null });
    expect((await hello('loner')).json).toEqual({ id: 'loner', version: '0.1.0' });
    const again = await api<{ error: { code: string } }>('POST', '/api/packages', {
      upload: held.json.upload,
      consent: true,
    });
    expect(again.json.error.code).toBe('JOVIAN_E_SERVER_UPLOAD_UNKNOWN');
  }, 30_000);

  it('should run an update with the trust of its own signature, not the previous version’s', async () => {
    const signed = await upload(await publish.pack({ id: 'loner', version: '0.2.0' }));
    expect(signed.json, JSON.stringify(signed.json)).toMatchObject({ status: 'installed' });
    expect((await hello('loner')).json).toEqual({ id: 'loner', version: '0.2.0' });
    const info = await api<{ trust: string; signature: { signer: string } | null }>(
      'GET',
      '/api/plugins/loner',
    );
    expect(info.json).toMatchObject({ trust: 'official', signature: { signer: 'dev@example.org' } });
    const back = await api<Answer>('POST', '/api/plugins/loner/rollback');
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    expect((await hello('loner')).json).toEqual({ id: 'loner', version: '0.1.0' });
    expect((await api<{ trust: string }>('GET', '/api/plugins/loner')).json.trust).toBe('unsigned');
  }, 30_000);

  it('should send the CLI commands to the running server, which serves the change at once', async () => {
    const file = await publish.pack({ id: 'clied', version: '2.0.0', unsigned: true });
    const cli = (args: string[]) => jovian(['--data-dir', dataDir, 'plugins', ...args]);

    const refused = await cli(['install', file, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('JOVIAN_E_INSTALL_CONSENT_REQUIRED');
    expect((await hello('clied')).status).toBe(404);

    const installed = await cli(['install', file, '--yes', '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.json()).toMatchObject([{ status: 'installed', id: 'clied', version: '2.0.0' }]);
    expect((await hello('clied')).json).toEqual({ id: 'clied', version: '2.0.0' });

    const removed = await cli(['uninstall', 'clied', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.json()).toMatchObject({ id: 'clied', version: '2.0.0', disabled: [] });
    expect((await hello('clied')).status).toBe(404);
  }, 60_000);
});
