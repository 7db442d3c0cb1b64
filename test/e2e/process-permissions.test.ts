/**
 * Permissions of a plugin in its own process, end to end: a real loopback HTTP server, real redirects,
 * real files and symbolic links. The plugin asks through ctx (checked by the host's bridge) and also
 * tries to go around ctx (stopped by Node's permission model).
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type PluginHost } from '../../src/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';

const PROBE = `
import { readFileSync, symlinkSync } from 'node:fs';
export default {
  async run(input, ctx) {
    try {
      if (input.op === 'fetch') {
        const response = await ctx.http.fetch(input.url);
        return { status: response.status, body: new TextDecoder().decode(response.body) };
      }
      if (input.op === 'read') return { text: await ctx.fs.readText(input.path) };
      if (input.op === 'read-direct') return { text: readFileSync(input.path, 'utf8') };
      if (input.op === 'link-direct') return { made: symlinkSync(input.path, 'link.txt') };
    } catch (error) {
      return { code: error.code, message: error.message, hint: error.hint };
    }
  },
};
`;

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

describe('a process plugin’s permissions', () => {
  let fixture: Fixture;
  let host: PluginHost;
  let allowed: { server: Server; port: number };
  let other: { server: Server; port: number };
  let granted: string;
  let outside: string;

  beforeAll(async () => {
    other = await listen((_req, res) => res.end('secret from the other server'));
    allowed = await listen((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${other.port}/` }).end();
        return;
      }
      res.end('hello from the allowed server');
    });
    fixture = await createFixture();
    granted = join(fixture.root, 'granted');
    outside = join(fixture.root, 'outside');
    await mkdir(granted);
    await mkdir(outside);
    await writeFile(join(granted, 'ok.txt'), 'inside the grant');
    await writeFile(join(outside, 'secret.txt'), 'outside the grant');
    await symlink(join(outside, 'secret.txt'), join(granted, 'link.txt'));
    await fixture.add('closed', { manifest: { runtime: 'process' }, code: PROBE });
    await fixture.add('open', {
      manifest: {
        runtime: 'process',
        permissions: { network_outbound: [`127.0.0.1:${allowed.port}`], fs_read: [granted] },
      },
      code: PROBE,
    });
    host = createHost({ pluginDirs: [fixture.pluginsDir], dataDir: fixture.dataDir, manifestCache: false });
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    allowed?.server.close();
    other?.server.close();
    await fixture?.cleanup();
  });

  it('should refuse the network to a plugin without network_outbound, naming the permission to add', async () => {
    expect(await host.run('closed', { op: 'fetch', url: `http://127.0.0.1:${allowed.port}/` })).toMatchObject(
      {
        code: 'JOVIAN_E_PERMISSION_DENIED',
        hint: expect.stringContaining('network_outbound'),
      },
    );
  });

  it('should let a plugin reach the loopback server its grant names', async () => {
    expect(await host.run('open', { op: 'fetch', url: `http://127.0.0.1:${allowed.port}/` })).toEqual({
      status: 200,
      body: 'hello from the allowed server',
    });
  });

  it('should refuse a redirect from the allowed server to one that is not granted', async () => {
    expect(
      await host.run('open', { op: 'fetch', url: `http://127.0.0.1:${allowed.port}/redirect` }),
    ).toMatchObject({
      code: 'JOVIAN_E_PERMISSION_DENIED',
      message: expect.stringContaining(String(other.port)),
    });
  });

  it('should read inside the fs_read grant, and nothing outside it, not even through a link inside it', async () => {
    expect(await host.run('open', { op: 'read', path: join(granted, 'ok.txt') })).toEqual({
      text: 'inside the grant',
    });
    expect(await host.run('open', { op: 'read', path: join(outside, 'secret.txt') })).toMatchObject({
      code: 'JOVIAN_E_PERMISSION_DENIED',
    });
    expect(await host.run('open', { op: 'read', path: join(granted, 'link.txt') })).toMatchObject({
      code: 'JOVIAN_E_PERMISSION_DENIED',
    });
    expect(
      await host.run('open', { op: 'read', path: join(granted, '..', 'outside', 'secret.txt') }),
    ).toMatchObject({ code: 'JOVIAN_E_PERMISSION_DENIED' });
  });

  it('should stop code that goes around ctx to read outside the grant', async () => {
    expect(await host.run('open', { op: 'read-direct', path: join(granted, 'ok.txt') })).toEqual({
      text: 'inside the grant',
    });
    expect(await host.run('open', { op: 'read-direct', path: join(outside, 'secret.txt') })).toMatchObject({
      code: 'ERR_ACCESS_DENIED',
    });
    expect(await host.run('closed', { op: 'read-direct', path: join(granted, 'ok.txt') })).toMatchObject({
      code: 'ERR_ACCESS_DENIED',
    });
    // A link the plugin makes itself in its writable data folder would lead anywhere: Node refuses it.
    expect(await host.run('open', { op: 'link-direct', path: join(outside, 'secret.txt') })).toMatchObject({
      code: 'ERR_ACCESS_DENIED',
    });
  });
});
