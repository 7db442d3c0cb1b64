/**
 * Webhook plugins end to end: a real HTTP server on 127.0.0.1 stands for the remote service. It checks
 * every request's signature with the secret the host stored, the way docs/plugin-authoring.md tells an
 * operator to, and answers hooks, events, commands, routes, API calls and run — or misbehaves on demand.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  AsyncSeriesBailHook,
  AsyncSeriesWaterfallHook,
  createHost,
  type PluginHost,
  runDoctor,
} from '../../src/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';

const hooks = () => ({
  greet: new AsyncSeriesWaterfallHook<string>({ name: 'greet' }),
  ask: new AsyncSeriesBailHook<[string], { answer: string }>({ name: 'ask' }),
});
type Hooks = ReturnType<typeof hooks>;

interface Envelope {
  readonly plugin: string;
  readonly method: string;
  readonly params: unknown[];
  readonly id: number;
}

interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly envelope: Envelope;
}

/** What a receiving service does with the X-Jovian-* headers (the same steps as the docs). */
function signatureIsValid(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return (
    expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  );
}

/** How the service answers: a JSON body (status 200), a custom answer, or none at all (`hang`). */
type Answer = { readonly json: unknown } | ((response: ServerResponse) => void) | 'hang';

/** The remote service: its answer to each method the host sends. */
function answer(envelope: Envelope): Answer {
  const [first] = envelope.params as [Record<string, unknown> | string | number];
  switch (envelope.method) {
    case 'hook:greet':
      return { json: { result: `${first}>remote` } };
    case 'hook:ask':
      return { json: { result: first === 'who' ? { answer: 'remote' } : null } };
    case 'command:hello':
      return { json: { result: `hello ${(first as { args: string[] }).args.join(' ')}` } };
    case 'route:GET /items/:id':
      return {
        json: { result: { status: 200, body: { id: (first as { params: { id: string } }).params.id } } },
      };
    case 'event:remote.in':
      return { json: { result: null } };
    case 'api.describe':
      return { json: { result: ['double'] } };
    case 'api:double':
      return { json: { result: (first as number) * 2 } };
    case 'health':
      return { json: { result: { status: 'ok' } } };
    case 'run':
      return answerRun(first as { op: string });
    default:
      return { json: { error: { code: 'REMOTE_E_UNKNOWN', message: `no method ${envelope.method}` } } };
  }
}

function answerRun(input: { op: string }): Answer {
  switch (input.op) {
    case 'echo':
      return { json: { result: { echo: input }, logs: [{ level: 'warn', message: 'remote saw an echo' }] } };
    case 'refuse':
      return {
        json: {
          error: { code: 'REMOTE_E_NOPE', message: 'the remote says no', hint: 'ask for something else' },
        },
      };
    case 'hang':
      return 'hang';
    case 'crash':
      return (response) =>
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
    case 'html':
      return (response) =>
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    case 'flood':
      // 8 KiB in chunks, without a content-length: the cap must apply while reading.
      return (response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"result": "');
        for (let i = 0; i < 8; i++) response.write('x'.repeat(1024));
        response.end('"}');
      };
    case 'redirect':
      return (response) => response.writeHead(302, { location: '/elsewhere' }).end();
    default:
      return { json: { result: null } };
  }
}

function send(reply: Answer, response: ServerResponse): void {
  if (reply === 'hang') return; // The host's deadline must end the call.
  if (typeof reply === 'function') reply(response);
  else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
}

describe('webhook plugins', () => {
  let fixture: Fixture;
  let host: PluginHost<Hooks>;
  let server: Server;
  const received: Received[] = [];
  const rejected: string[] = [];
  const secretFile = () => join(fixture.dataDir, 'secrets', 'remote.key');

  beforeAll(async () => {
    fixture = await createFixture();
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const secret = readFileSync(secretFile(), 'utf8').trim();
        const timestamp = String(request.headers['x-jovian-timestamp']);
        const signature = String(request.headers['x-jovian-signature']);
        if (!signatureIsValid(secret, timestamp, body, signature)) {
          rejected.push(request.url ?? '');
          response.writeHead(401).end('bad signature');
          return;
        }
        const envelope = JSON.parse(body) as Envelope;
        received.push({ path: request.url ?? '', headers: request.headers, body, envelope });
        send(answer(envelope), response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const remoteDir = await fixture.add('remote', {
      yaml: stringify({
        id: 'remote',
        type: 'tool',
        version: '1.0.0',
        engines: { jovian: '*' },
        runtime: 'webhook',
        webhook: {
          url: `http://127.0.0.1:${port}/jovian?token=query-value`,
          timeout_ms: 1_000,
          max_response_kb: 4,
        },
        contributes: {
          hooks: ['greet', 'ask'],
          commands: [{ name: 'hello' }],
          routes: [{ method: 'GET', path: '/items/:id' }],
          events: { subscribe: ['remote.in'] },
        },
      }),
    });
    // No code on this machine: the folder holds only plugin.yaml.
    await rm(join(remoteDir, 'index.mjs'));
    await fixture.add('caller', {
      manifest: { dependencies: [{ id: 'remote' }] },
      code: `export default {
        async run(input, ctx) {
          const remote = await ctx.plugins.get('remote');
          return remote.double(input.n);
        },
      };`,
    });
    host = createHost({
      hooks: hooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      activationTimeoutMs: 10_000,
    });
    await host.start();
  }, 30_000);

  afterAll(async () => {
    await host?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await fixture?.cleanup();
  });

  it('should accept a webhook plugin without an entry file', async () => {
    expect(host.record('remote')).toMatchObject({ state: 'resolved', manifest: { main: '' } });
    const report = await runDoctor(host);
    expect(report.diagnostics.filter((d) => d.plugin === 'remote')).toEqual([]);
  });

  it('should activate on a hook and answer it from the service', async () => {
    expect(await host.hooks.greet.call('hi')).toBe('hi>remote');
    expect(host.record('remote')).toMatchObject({ state: 'ready', outcome: { activatedBy: 'onHook:greet' } });
    expect(await host.hooks.ask.call('who')).toEqual({ answer: 'remote' });
    expect(await host.hooks.ask.call('what')).toBeUndefined();
  });

  it('should sign every request with the secret it stored for the operator', () => {
    const secret = readFileSync(secretFile(), 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(rejected).toEqual([]);
    const request = received.find((r) => r.envelope.method === 'hook:greet')!;
    expect(request.path).toBe('/jovian?token=query-value');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-jovian-plugin']).toBe('remote');
    expect(Number(request.headers['x-jovian-timestamp'])).toBeGreaterThan(1_600_000_000);
    expect(request.envelope).toEqual({
      plugin: 'remote',
      method: 'hook:greet',
      params: ['hi'],
      id: expect.any(Number),
    });
    const timestamp = String(request.headers['x-jovian-timestamp']);
    const signature = String(request.headers['x-jovian-signature']);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signatureIsValid(secret, timestamp, request.body, signature)).toBe(true);
  });

  it('should make a forged or altered request detectable', async () => {
    const secret = readFileSync(secretFile(), 'utf8').trim();
    const request = received.find((r) => r.envelope.method === 'hook:greet')!;
    const timestamp = String(request.headers['x-jovian-timestamp']);
    const signature = String(request.headers['x-jovian-signature']);
    expect(signatureIsValid(secret, timestamp, request.body.replace('hi', 'ho'), signature)).toBe(false);
    expect(signatureIsValid(secret, String(Number(timestamp) - 600), request.body, signature)).toBe(false);
    expect(signatureIsValid('f'.repeat(64), timestamp, request.body, signature)).toBe(false);
    const { port } = server.address() as AddressInfo;
    const forged = await fetch(`http://127.0.0.1:${port}/jovian`, {
      method: 'POST',
      headers: { 'x-jovian-timestamp': timestamp, 'x-jovian-signature': `sha256=${'0'.repeat(64)}` },
      body: request.body,
    });
    expect(forged.status).toBe(401);
    expect(rejected).toEqual(['/jovian']);
    rejected.length = 0;
  });

  it('should run, with the service’s log lines in the plugin log', async () => {
    expect(await host.run('remote', { op: 'echo' })).toEqual({ echo: { op: 'echo' } });
    expect(host.logs.tail('remote')).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'remote saw an echo' }),
    );
  });

  it('should answer its declared commands, routes and events', async () => {
    expect(await host.invokeCommand('hello', { args: ['Ada'], options: {} })).toBe('hello Ada');
    expect(
      await host.invokeRoute('remote', {
        method: 'GET',
        path: '/items/7',
        params: {},
        query: {},
        body: null,
      }),
    ).toEqual({ status: 200, body: { id: '7' } });
    host.events.emit('remote.in', { n: 1 });
    for (let i = 0; i < 100 && !received.some((r) => r.envelope.method === 'event:remote.in'); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const delivered = received.find((r) => r.envelope.method === 'event:remote.in');
    expect(delivered?.envelope.params).toEqual([
      expect.objectContaining({ topic: 'remote.in', payload: { n: 1 } }),
    ]);
  });

  it('should serve its API to other plugins', async () => {
    expect(await host.run('caller', { n: 21 })).toBe(42);
  });

  it('should bring the service’s error back with its code and hint', async () => {
    await expect(host.run('remote', { op: 'refuse' })).rejects.toMatchObject({
      name: 'JovianError',
      code: 'REMOTE_E_NOPE',
      message: 'the remote says no',
      hint: 'ask for something else',
    });
    expect(await host.run('remote', { op: 'echo' })).toEqual({ echo: { op: 'echo' } });
  });

  it('should give up on a service that does not answer, and keep serving', async () => {
    const failure = await host.run('remote', { op: 'hang' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'JOVIAN_E_WEBHOOK_TIMEOUT',
      message: expect.stringContaining('got no answer within 1000 ms'),
      hint: expect.stringContaining('webhook.timeout_ms'),
    });
    expect((failure as Error).message).toContain('http://127.0.0.1');
    expect((failure as Error).message).not.toContain('query-value');
    expect(await host.run('remote', { op: 'echo' })).toEqual({ echo: { op: 'echo' } });
    expect(host.record('remote')?.state).toBe('ready');
  });

  it.each([
    ['crash', 'JOVIAN_E_WEBHOOK_FAILED', 'answered 500'],
    ['html', 'JOVIAN_E_WEBHOOK_BAD_RESPONSE', 'not JSON'],
    ['flood', 'JOVIAN_E_WEBHOOK_TOO_LARGE', 'more than 4096 bytes'],
    ['redirect', 'JOVIAN_E_WEBHOOK_FAILED', 'redirects are not followed'],
  ])('should report a service that answers "%s" as %s', async (op, code, words) => {
    await expect(host.run('remote', { op })).rejects.toMatchObject({
      code,
      message: expect.stringContaining(words),
      hint: expect.any(String),
    });
    expect(await host.run('remote', { op: 'echo' })).toEqual({ echo: { op: 'echo' } });
  });

  it('should not follow a redirect', () => {
    expect(received.some((r) => r.path === '/elsewhere')).toBe(false);
  });

  it('should never write the secret to a log', async () => {
    const secret = readFileSync(secretFile(), 'utf8').trim();
    const logged = JSON.stringify([host.logs.tail('remote'), host.logs.tail('host')]);
    expect(logged).not.toContain(secret);
    expect(rejected).toEqual([]);
  });
});
