import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/bridge/index.js';
import { createHttpService, type HttpServiceOptions } from '../../../src/bridge/services/http-service.js';
import type { PermissionGrant } from '../../../src/types.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface TestServer {
  readonly port: number;
  readonly origin: string;
  readonly seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, origin: `http://127.0.0.1:${port}`, seen };
}

function broker(grant: PermissionGrant, options: HttpServiceOptions = {}) {
  const audit: AuditEntry[] = [];
  const service = createHttpService(
    {
      pluginId: 'web',
      permissions: { fs_read: false, fs_write: false, run_commands: false, network_outbound: grant },
      pluginDir: '/p',
      dataDir: '/d',
      projectDir: '/w',
      audit: { record: (entry) => audit.push(entry) },
    },
    options,
  );
  return { fetch: (url: string, request = {}) => service['http.fetch'](url, request), audit };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('http service (the network broker)', () => {
  describe('#http.fetch', () => {
    it('should fetch from a granted host, forwarding method, headers and body', async () => {
      const server = await serve((_req, res) => res.writeHead(201, { 'X-Answer': '42' }).end('made'));
      const { fetch, audit } = broker([`127.0.0.1:${server.port}`]);
      const response = await fetch(`${server.origin}/things?key=secret`, {
        method: 'post',
        headers: { 'Content-Type': 'text/plain', Host: 'evil.example' },
        body: 'payload',
      });
      expect(response).toMatchObject({
        status: 201,
        url: `${server.origin}/things?key=secret`,
        headers: { 'x-answer': '42' },
      });
      expect(text(response.body)).toBe('made');
      expect(server.seen).toMatchObject([
        {
          method: 'POST',
          url: '/things?key=secret',
          body: 'payload',
          headers: { host: `127.0.0.1:${server.port}` },
        },
      ]);
      expect(audit).toEqual([
        {
          plugin: 'web',
          action: 'http.fetch',
          target: `${server.origin}/things`,
          decision: 'allow',
          permission: 'network_outbound',
          reason: `granted explicitly by network_outbound entry 127.0.0.1:${server.port}; connecting to 127.0.0.1`,
        },
      ]);
    });

    it('should refuse a plugin with no grant, audit it and send nothing', async () => {
      const server = await serve((_req, res) => res.end('no'));
      const { fetch, audit } = broker(false);
      await expect(fetch(`${server.origin}/`)).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: `plugin \`web\` may not connect to 127.0.0.1:${server.port}: network_outbound is not granted`,
        hint: `add \`network_outbound: ["127.0.0.1:${server.port}"]\` under permissions in plugin.yaml`,
      });
      expect(audit).toMatchObject([{ decision: 'deny', reason: 'network_outbound is not granted' }]);
      expect(server.seen).toEqual([]);
    });

    it('should refuse loopback with a `true` grant', async () => {
      const server = await serve((_req, res) => res.end('internal'));
      const { fetch, audit } = broker(true);
      await expect(fetch(`${server.origin}/`)).rejects.toMatchObject({ code: 'JOVIAN_E_PERMISSION_DENIED' });
      await expect(fetch(`http://localhost:${server.port}/`)).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
      expect(audit.map((a) => a.decision)).toEqual(['deny', 'deny']);
      expect(server.seen).toEqual([]);
    });

    it('should follow a redirect that stays within the grant, checking each hop', async () => {
      const server = await serve((req, res) => {
        if (req.url === '/start') res.writeHead(302, { location: '/end' }).end();
        else res.writeHead(200).end('done');
      });
      const { fetch, audit } = broker([`127.0.0.1:${server.port}`]);
      const response = await fetch(`${server.origin}/start`);
      expect(response).toMatchObject({ status: 200, url: `${server.origin}/end` });
      expect(text(response.body)).toBe('done');
      expect(audit.map((a) => [a.decision, a.target, a.reason.startsWith('redirect hop 1')])).toEqual([
        ['allow', `${server.origin}/start`, false],
        ['allow', `${server.origin}/end`, true],
      ]);
    });

    it('should refuse a redirect to a port outside the grant, naming the hop', async () => {
      const other = await serve((_req, res) => res.end('secret'));
      const server = await serve((_req, res) =>
        res.writeHead(307, { location: `${other.origin}/admin` }).end(),
      );
      const { fetch, audit } = broker([`127.0.0.1:${server.port}`]);
      await expect(fetch(`${server.origin}/`)).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: expect.stringContaining(
          `may not connect to 127.0.0.1:${other.port}: redirect hop 1 to ${other.origin}/admin:`,
        ),
        hint: `add \`network_outbound: ["127.0.0.1:${other.port}"]\` under permissions in plugin.yaml`,
      });
      expect(audit.map((a) => a.decision)).toEqual(['allow', 'deny']);
      expect(other.seen).toEqual([]);
    });

    it('should turn a POST into a GET on 303 and drop credentials when the origin changes', async () => {
      const second = await serve((_req, res) => res.end('second'));
      const first = await serve((_req, res) =>
        res.writeHead(303, { location: `${second.origin}/next` }).end(),
      );
      const { fetch } = broker([`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`]);
      const response = await fetch(`${first.origin}/form`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'x-trace': '1', 'content-type': 'text/plain' },
        body: 'form',
      });
      expect(text(response.body)).toBe('second');
      expect(first.seen[0]).toMatchObject({ method: 'POST', headers: { authorization: 'Bearer t' } });
      expect(second.seen[0]).toMatchObject({ method: 'GET', body: '', headers: { 'x-trace': '1' } });
      expect(second.seen[0]!.headers).not.toHaveProperty('authorization');
      expect(second.seen[0]!.headers).not.toHaveProperty('content-type');
    });

    it('should stop after 5 redirects', async () => {
      const server = await serve((req, res) => res.writeHead(302, { location: `${req.url}x` }).end());
      const { fetch } = broker([`127.0.0.1:${server.port}`]);
      await expect(fetch(`${server.origin}/`)).rejects.toMatchObject({
        code: 'JOVIAN_E_HTTP_FAILED',
        message: expect.stringContaining('redirected more than 5 times'),
      });
      expect(server.seen).toHaveLength(6);
    });

    it('should refuse a body over 10 MiB', async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        for (let i = 0; i < 11; i++) res.write(chunk);
        res.end();
      });
      const { fetch } = broker([`127.0.0.1:${server.port}`]);
      await expect(fetch(`${server.origin}/big`)).rejects.toMatchObject({
        code: 'JOVIAN_E_HTTP_TOO_LARGE',
        message: expect.stringContaining('larger than 10485760 bytes'),
      });
    });

    it('should refuse at once a body whose declared length is over the cap', async () => {
      const server = await serve((_req, res) =>
        res.writeHead(200, { 'content-length': '100' }).end('x'.repeat(100)),
      );
      const { fetch } = broker([`127.0.0.1:${server.port}`], { limits: { maxBodyBytes: 10 } });
      await expect(fetch(`${server.origin}/`)).rejects.toMatchObject({ code: 'JOVIAN_E_HTTP_TOO_LARGE' });
    });

    it('should give up at the deadline on a server that never answers', async () => {
      const server = await serve(() => undefined);
      const { fetch } = broker([`127.0.0.1:${server.port}`]);
      await expect(fetch(`${server.origin}/slow`, { timeoutMs: 100 })).rejects.toMatchObject({
        code: 'JOVIAN_E_HTTP_TIMEOUT',
        message: `plugin \`web\` ctx.http.fetch: ${server.origin}/slow did not complete within 100 ms`,
      });
    });

    it('should connect to the address it checked, keeping the host name', async () => {
      const server = await serve((req, res) => res.end(req.headers.host));
      const { fetch } = broker([`api.jovian.test:${server.port}`], {
        resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
      });
      const response = await fetch(`http://api.jovian.test:${server.port}/`);
      expect(text(response.body)).toBe(`api.jovian.test:${server.port}`);
    });

    it('should refuse a name that resolves to a private address unless the grant names it', async () => {
      const resolveHost = async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ];
      const { fetch, audit } = broker(['*.example.com'], { resolveHost });
      await expect(fetch('https://api.example.com/')).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: expect.stringContaining('api.example.com resolves to 10.0.0.7'),
      });
      expect(audit).toMatchObject([{ decision: 'deny', target: 'https://api.example.com/' }]);
      await expect(broker(true, { resolveHost }).fetch('https://api.example.com/')).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
    });

    it('should report a name that does not resolve', async () => {
      const { fetch, audit } = broker(true, {
        resolveHost: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
        },
      });
      await expect(fetch('https://nowhere.example/')).rejects.toMatchObject({
        code: 'JOVIAN_E_HTTP_FAILED',
        message: expect.stringContaining('cannot resolve nowhere.example'),
      });
      expect(audit).toMatchObject([{ decision: 'deny' }]);
    });

    it('should report a refused connection', async () => {
      const server = await serve(() => undefined);
      const port = server.port;
      servers.pop()!.close();
      const { fetch } = broker([`127.0.0.1:${port}`]);
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({
        code: 'JOVIAN_E_HTTP_FAILED',
        message: expect.stringContaining('ECONNREFUSED'),
      });
    });

    it('should report a redirect to a URL that cannot be parsed', async () => {
      const server = await serve((_req, res) => res.writeHead(302, { location: 'http://[bad' }).end());
      const { fetch } = broker([`127.0.0.1:${server.port}`]);
      await expect(fetch(`${server.origin}/`)).rejects.toMatchObject({
        code: 'JOVIAN_E_HTTP_FAILED',
        message: expect.stringContaining(`a redirect to an invalid URL from ${server.origin}/`),
      });
    });

    it('should refuse an invalid URL and other schemes', async () => {
      await expect(broker(true).fetch('not a url')).rejects.toMatchObject({ code: 'JOVIAN_E_HTTP_FAILED' });
      await expect(broker(true).fetch('file:///etc/passwd')).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: expect.stringContaining('the file: scheme is not allowed'),
      });
    });

    it('should never write credentials or the query into the audit', async () => {
      const { fetch, audit } = broker(false);
      await Promise.resolve(fetch('https://user:pw@api.example.com/v1?token=abc')).catch(() => undefined);
      expect(audit[0]!.target).toBe('https://api.example.com/v1');
      expect(JSON.stringify(audit)).not.toMatch(/pw|abc/);
    });
  });
});
