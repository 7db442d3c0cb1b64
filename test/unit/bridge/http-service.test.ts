import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuditEntry, createHttpService } from '../../../src/bridge/index.js';
import { NO_PERMISSIONS } from '../../../src/manifest/index.js';
import type { PermissionGrant } from '../../../src/types.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function fetcher(grant: PermissionGrant) {
  const audit: AuditEntry[] = [];
  const scope = {
    pluginId: 'web',
    permissions: { ...NO_PERMISSIONS, network_outbound: grant },
    pluginDir: '/p',
    dataDir: '/d',
    projectDir: '/w',
    audit: { record: (entry: AuditEntry) => audit.push(entry) },
  };
  const service = createHttpService(scope);
  return { fetch: (url: string, request = {}) => service['http.fetch'](url, request), audit };
}

describe('the network broker (ctx.http.fetch)', () => {
  it('should follow a redirect that stays within the grant, checking each hop', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/start') res.writeHead(302, { location: '/end' }).end();
      else res.writeHead(200, { 'X-Answer': '42' }).end('done');
    });
    const { fetch, audit } = fetcher([`127.0.0.1:${port}`]);
    const response = await fetch(`http://127.0.0.1:${port}/start`);
    expect(response).toMatchObject({
      status: 200,
      url: `http://127.0.0.1:${port}/end`,
      headers: { 'x-answer': '42' },
    });
    expect(new TextDecoder().decode(response.body)).toBe('done');
    expect(audit.map((a) => [a.decision, a.target])).toEqual([
      ['allow', `http://127.0.0.1:${port}/start`],
      ['allow', `http://127.0.0.1:${port}/end`],
    ]);
  });

  it('should refuse a redirect from an allowed host to one outside the grant', async () => {
    const other = await serve((_req, res) => res.end('secret'));
    const port = await serve((_req, res) =>
      res.writeHead(307, { location: `http://127.0.0.1:${other}/admin` }).end(),
    );
    const { fetch, audit } = fetcher([`127.0.0.1:${port}`]);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({
      code: 'JOVIAN_E_PERMISSION_DENIED',
      message: expect.stringContaining('may not follow a redirect to'),
    });
    expect(audit.at(-1)).toMatchObject({
      decision: 'deny',
      reason: expect.stringContaining('redirect hop 1'),
    });
  });

  it('should refuse a public grant that resolves to a private address', async () => {
    const { fetch } = fetcher(['localhost.localdomain']);
    await expect(fetch('http://localhost.localdomain:1/')).rejects.toMatchObject({
      code: expect.stringMatching(/JOVIAN_E_(PERMISSION_DENIED|HTTP_FAILED)/),
    });
  });

  it('should cap the response size and the time', async () => {
    const big = await serve((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i < 12; i++) res.write(chunk);
      res.end();
    });
    const slow = await serve(() => undefined);
    await expect(fetcher([`127.0.0.1:${big}`]).fetch(`http://127.0.0.1:${big}/`)).rejects.toMatchObject({
      code: 'JOVIAN_E_HTTP_TOO_LARGE',
    });
    await expect(
      fetcher([`127.0.0.1:${slow}`]).fetch(`http://127.0.0.1:${slow}/`, { timeoutMs: 100 }),
    ).rejects.toMatchObject({ code: 'JOVIAN_E_HTTP_TIMEOUT' });
  });

  it('should refuse an invalid URL and a plugin with no grant', async () => {
    await expect(fetcher(true).fetch('not a url')).rejects.toMatchObject({ code: 'JOVIAN_E_HTTP_FAILED' });
    await expect(fetcher(false).fetch('https://example.com/')).rejects.toMatchObject({
      code: 'JOVIAN_E_PERMISSION_DENIED',
    });
  });
});
