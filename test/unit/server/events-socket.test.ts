/**
 * `GET /api/events` over a real listening server: the token and Origin checks on the upgrade, the
 * subscribe / unsubscribe protocol with a real `ws` client, and the per-client bound with a raw TCP
 * client that does the upgrade by hand and stops reading.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatHooks, createChatHooks, createHost, type PluginHost } from '../../../src/index.js';
import {
  DEFAULT_MAX_BUFFERED_BYTES,
  type EventsSocket,
  eventsSocket,
  WEBSOCKET_OPTIONS,
} from '../../../src/server/events-socket.js';
import { createServer, type JovianServer, TOKEN_COOKIE } from '../../../src/server/index.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

/** The part of a `ws` 8 client these tests use (`ws` ships no types). */
interface WsClient {
  readonly readyState: number;
  send(data: string | Buffer): void;
  close(): void;
  on(event: 'message', listener: (data: Buffer) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'open', listener: () => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
  once(event: 'unexpected-response', listener: (request: unknown, response: IncomingMessage) => void): this;
}
const { WebSocket } = createRequire(import.meta.url)('ws') as {
  WebSocket: new (url: string, options?: { headers?: Record<string, string> }) => WsClient;
};

type Message = Record<string, unknown>;
const TOKEN = 'x'.repeat(64);
const BEARER = { authorization: `Bearer ${TOKEN}` };

/** A client's received messages, and a way to wait for one (bounded by the test's timeout). */
class Inbox {
  readonly messages: Message[] = [];
  #waiters: (() => void)[] = [];

  push(message: Message): void {
    this.messages.push(message);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  async next(predicate: (message: Message) => boolean, from = 0): Promise<Message> {
    for (;;) {
      const found = this.messages.slice(from).find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

/** Polls `condition` on every turn of the event loop, at most `turns` times. */
async function until(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('eventsSocket', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  let base: string;
  const open: WsClient[] = [];

  /** Opens a socket; rejects with the HTTP status and body when the upgrade is refused. */
  function connectWs(headers: Record<string, string> = BEARER): Promise<{ ws: WsClient; inbox: Inbox }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events`, { headers });
      const inbox = new Inbox();
      ws.on('message', (data) => inbox.push(JSON.parse(data.toString('utf8')) as Message));
      ws.once('open', () => {
        open.push(ws);
        resolve({ ws, inbox });
      });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        response.on('end', () => reject({ status: response.statusCode, body: JSON.parse(body) as Message }));
      });
      ws.once('error', reject);
    });
  }

  async function subscribed(ws: WsClient, inbox: Inbox, request: Message): Promise<Message> {
    const from = inbox.messages.length;
    ws.send(JSON.stringify(request));
    return inbox.next((m) => 'subscribed' in m || 'error' in m, from);
  }

  beforeAll(async () => {
    fixture = await createFixture();
    host = createHost({
      hooks: createChatHooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
    });
    await host.start();
    server = await createServer({ host, token: TOKEN });
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const ws of open) ws.close();
    await server?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  describe('access', () => {
    it('should refuse the upgrade with 401 without a token', async () => {
      await expect(connectWs({})).rejects.toMatchObject({
        status: 401,
        body: { error: { code: 'JOVIAN_E_SERVER_UNAUTHORIZED' } },
      });
    });

    it('should refuse the upgrade with 401 with a wrong token, in the header or the cookie', async () => {
      const wrong: Record<string, string>[] = [
        { authorization: `Bearer ${'0'.repeat(64)}` },
        { cookie: `${TOKEN_COOKIE}=${'0'.repeat(64)}` },
      ];
      for (const headers of wrong) {
        await expect(connectWs(headers)).rejects.toMatchObject({
          status: 401,
          body: { error: { code: 'JOVIAN_E_SERVER_UNAUTHORIZED' } },
        });
      }
    });

    it('should accept the token in the Authorization header or in the login cookie', async () => {
      for (const headers of [BEARER, { cookie: `${TOKEN_COOKIE}=${TOKEN}` }]) {
        const { ws, inbox } = await connectWs(headers);
        expect(await subscribed(ws, inbox, { subscribe: ['test.*'] })).toEqual({ subscribed: ['test.*'] });
        ws.close();
      }
    });

    it('should refuse with 403 a page of another origin, even with the token, and accept its own', async () => {
      await expect(
        connectWs({ cookie: `${TOKEN_COOKIE}=${TOKEN}`, origin: 'http://localhost:5173' }),
      ).rejects.toMatchObject({ status: 403, body: { error: { code: 'JOVIAN_E_SERVER_ORIGIN_REFUSED' } } });
      const { ws } = await connectWs({ ...BEARER, origin: base });
      expect(ws.readyState).toBe(1);
      ws.close();
    });

    it('should answer a plain GET (no upgrade) with 400 and a hint', async () => {
      const response = await fetch(`${base}/api/events`, { headers: BEARER });
      expect(response.status).toBe(400);
      expect(((await response.json()) as Message).error).toMatchObject({
        code: 'JOVIAN_E_SERVER_BAD_REQUEST',
        hint: expect.stringContaining('WebSocket'),
      });
    });
  });

  describe('protocol', () => {
    it('should deliver a matching event as { topic, payload, at } after the subscribed ack', async () => {
      const { ws, inbox } = await connectWs();
      expect(await subscribed(ws, inbox, { subscribe: ['test.*'] })).toEqual({ subscribed: ['test.*'] });
      host.events.emit('test.one', { n: 1 }, { source: 'host' });
      expect(await inbox.next((m) => m.topic === 'test.one')).toEqual({
        topic: 'test.one',
        payload: { n: 1 },
        at: expect.any(Number),
      });
      ws.close();
    });

    it('should hold one bus subscription per socket, updated in place and disposed on close', async () => {
      const { ws, inbox } = await connectWs();
      expect(await subscribed(ws, inbox, { subscribe: ['own.*'] })).toEqual({ subscribed: ['own.*'] });
      expect(await subscribed(ws, inbox, { subscribe: ['chat.**', 'own.*'] })).toEqual({
        subscribed: ['own.*', 'chat.**'],
      });
      expect(host.events.subscriberCount('own.one')).toBe(1);
      expect(host.events.subscriberCount('chat.message.sent')).toBeGreaterThanOrEqual(1);
      ws.close();
      await until(() => host.events.subscriberCount('own.one') === 0);
    });

    it('should stop delivering a pattern once unsubscribed', async () => {
      const { ws, inbox } = await connectWs();
      await subscribed(ws, inbox, { subscribe: ['test.*', 'marker.*'] });
      expect(await subscribed(ws, inbox, { unsubscribe: ['test.*'] })).toEqual({ subscribed: ['marker.*'] });
      host.events.emit('test.two', { n: 2 }, { source: 'host' });
      host.events.emit('marker.done', {}, { source: 'host' });
      // One subscription delivers in emit order: once the marker is in, test.two would be too.
      await inbox.next((m) => m.topic === 'marker.done');
      expect(inbox.messages.filter((m) => m.topic === 'test.two')).toEqual([]);
      ws.close();
    });

    it('should answer a bad message with { error } and keep the socket open', async () => {
      const { ws, inbox } = await connectWs();
      const bad: [string | Buffer, string][] = [
        ['not json', 'JOVIAN_E_SERVER_BAD_REQUEST'],
        ['[1]', 'JOVIAN_E_SERVER_BAD_REQUEST'],
        ['{"publish":["test.*"]}', 'JOVIAN_E_SERVER_BAD_REQUEST'],
        ['{"subscribe":"test.*"}', 'JOVIAN_E_SERVER_BAD_REQUEST'],
        ['{"subscribe":[]}', 'JOVIAN_E_SERVER_BAD_REQUEST'],
        ['{"subscribe":["test.*"],"unsubscribe":["x"]}', 'JOVIAN_E_SERVER_BAD_REQUEST'],
        ['{"subscribe":["test..one"]}', 'JOVIAN_E_EVENT_BAD_TOPIC'],
        ['{"subscribe":["ok.*","te st"]}', 'JOVIAN_E_EVENT_BAD_TOPIC'],
        [Buffer.from([1, 2, 3]), 'JOVIAN_E_SERVER_BAD_REQUEST'],
      ];
      for (const [message, code] of bad) {
        const from = inbox.messages.length;
        ws.send(message);
        const reply = await inbox.next((m) => 'error' in m, from);
        expect(reply, String(message)).toEqual({
          error: { code, message: expect.any(String), hint: expect.any(String) },
        });
      }
      // A rejected request changes nothing (`ok.*` above was not added), and the socket still works.
      expect(await subscribed(ws, inbox, { subscribe: ['test.*'] })).toEqual({ subscribed: ['test.*'] });
      host.events.emit('test.after', {}, { source: 'host' });
      await inbox.next((m) => m.topic === 'test.after');
      expect(ws.readyState).toBe(1);
      ws.close();
    });

    it('should keep the newest 1000 events of a burst the bus cannot hand over, and announce the rest', async () => {
      const { ws, inbox } = await connectWs();
      await subscribed(ws, inbox, { subscribe: ['burst.*'] });
      const from = inbox.messages.length;
      for (let i = 0; i < 5000; i++) host.events.emit('burst.tick', { i }, { source: 'host' });
      await inbox.next((m) => (m.payload as { i?: number } | undefined)?.i === 4999, from);
      const after = inbox.messages.slice(from);
      expect(after[0]).toEqual({ dropped: 4000 });
      expect(after.slice(1).map((m) => (m.payload as { i: number }).i)).toEqual(
        Array.from({ length: 1000 }, (_, k) => 4000 + k),
      );
      ws.close();
    });

    it('should stream the host log as plugin.log events', async () => {
      const { ws, inbox } = await connectWs();
      await subscribed(ws, inbox, { subscribe: ['plugin.log'] });
      host.logs.write('host', 'info', 'hello from the events test');
      expect(await inbox.next((m) => m.topic === 'plugin.log')).toMatchObject({
        payload: { plugin: 'host', level: 'info', message: 'hello from the events test' },
      });
      ws.close();
    });
  });
});

describe('eventsSocket with a client that stops reading', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let app: FastifyInstance;
  let events: EventsSocket;
  let port: number;
  let raw: Socket | undefined;

  beforeAll(async () => {
    fixture = await createFixture();
    host = createHost({
      hooks: createChatHooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
    });
    await host.start();
    // The pieces createServer uses, so the test can read the stream's per-client stats.
    app = Fastify({ logger: false });
    await app.register(websocket, WEBSOCKET_OPTIONS);
    events = eventsSocket(app, host);
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  let closed = false;
  afterAll(async () => {
    raw?.destroy();
    if (!closed) await app?.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should drop events above the cap, count them, and send { dropped } once the client reads again', async () => {
    const client = await rawClient(port);
    raw = client.socket;
    client.send(JSON.stringify({ subscribe: ['load.*'] }));
    await client.inbox.next((m) => 'subscribed' in m);
    client.socket.pause(); // never read from here on: the kernel buffers fill, then the server's

    const pad = 'x'.repeat(1000);
    const oneMessage = Buffer.byteLength(
      JSON.stringify({ topic: 'load.tick', payload: { i: 1_000_000, pad }, at: Date.now() }),
    );
    let emitted = 0;
    // Batches smaller than the bus queue (1000), flushed between, so that every drop is the socket cap's.
    for (let batch = 0; batch < 400; batch++) {
      for (let i = 0; i < 500; i++) host.events.emit('load.tick', { i: emitted++, pad }, { source: 'host' });
      await host.events.flush();
      const [stats] = events.clients();
      if (emitted >= 20_000 && stats!.dropped > 0) break;
    }
    const [stats] = events.clients();
    expect(stats!.dropped).toBeGreaterThan(0);
    expect(stats!.bufferedAmount).toBeGreaterThan(0);
    expect(stats!.bufferedAmount).toBeLessThanOrEqual(DEFAULT_MAX_BUFFERED_BYTES + oneMessage + 10);
    expect(stats!.peakBufferedAmount).toBeLessThanOrEqual(DEFAULT_MAX_BUFFERED_BYTES + oneMessage + 10);

    // Replies are never dropped; a client that keeps sending without reading is no longer read from.
    client.send(JSON.stringify({ subscribe: ['other.*'] }));
    client.send(JSON.stringify({ subscribe: ['third.*'] }));
    await until(() => events.clients()[0]!.readingPaused);
    const ack = Buffer.byteLength(JSON.stringify({ subscribed: ['load.*', 'other.*', 'third.*'] })) + 2;
    expect(events.clients()[0]!.bufferedAmount).toBeLessThanOrEqual(
      DEFAULT_MAX_BUFFERED_BYTES + oneMessage + 10 + 2 * ack,
    );

    client.socket.resume();
    const received = () => client.inbox.messages.filter((m) => m.topic === 'load.tick').length;
    const announced = () =>
      client.inbox.messages.reduce((sum, m) => sum + (typeof m.dropped === 'number' ? m.dropped : 0), 0);
    for (let i = 0; received() + announced() < emitted && i < emitted; i++)
      await client.inbox.next(() => true, client.inbox.messages.length);
    expect(received() + announced()).toBe(emitted);
    expect(announced()).toBe(events.clients()[0]!.dropped);
    expect(client.inbox.messages.some((m) => typeof m.dropped === 'number' && m.dropped > 0)).toBe(true);
    await client.inbox.next((m) => JSON.stringify(m.subscribed) === '["load.*","other.*","third.*"]');
    await until(() => !events.clients()[0]!.readingPaused);
    // Events arrive in emit order, with gaps only where drops were announced.
    const order = client.inbox.messages
      .filter((m) => m.topic === 'load.tick')
      .map((m) => (m.payload as { i: number }).i);
    expect(order.every((n, k) => k === 0 || n > order[k - 1]!)).toBe(true);
  });

  it('should cut a client that stopped reading when the server closes, instead of waiting for it', async () => {
    const client = raw!;
    client.pause();
    const pad = 'z'.repeat(1000);
    const stalled = () => events.clients()[0]!.bufferedAmount > DEFAULT_MAX_BUFFERED_BYTES;
    for (let batch = 0; batch < 400 && !stalled(); batch++) {
      for (let i = 0; i < 500; i++) host.events.emit('load.tick', { i, pad }, { source: 'host' });
      await host.events.flush();
    }
    expect(stalled()).toBe(true);
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    // A client that does not answer the close frame would hold `close()` for ws's 30 s (over this
    // test's timeout); the server cuts it after a short grace instead.
    closed = true;
    await app.close();
    client.resume();
    await ended;
    expect(events.clients()).toEqual([]);
  });
});

/**
 * A WebSocket client written by hand over `net`, so that a test decides when bytes are read: the
 * upgrade request, masked text frames out, unmasked frames in (RFC 6455 §5.2).
 */
async function rawClient(port: number): Promise<{ socket: Socket; inbox: Inbox; send(text: string): void }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    [
      'GET /api/events HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Authorization: Bearer ${TOKEN}`,
      '',
      '',
    ].join('\r\n'),
  );
  const inbox = new Inbox();
  let pending: Buffer = Buffer.alloc(0);
  let upgraded = false;
  const upgradedOrFailed = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head));
        upgraded = true;
        pending = pending.subarray(end + 4);
        resolve();
      }
      let offset = 0;
      for (;;) {
        if (pending.length - offset < 2) break;
        const opcode = pending[offset]! & 0x0f;
        let length = pending[offset + 1]! & 0x7f;
        let header = 2;
        if (length === 126) {
          if (pending.length - offset < 4) break;
          length = pending.readUInt16BE(offset + 2);
          header = 4;
        } else if (length === 127) {
          if (pending.length - offset < 10) break;
          length = Number(pending.readBigUInt64BE(offset + 2));
          header = 10;
        }
        if (pending.length - offset < header + length) break;
        const payload = pending.subarray(offset + header, offset + header + length);
        offset += header + length;
        if (opcode === 1) inbox.push(JSON.parse(payload.toString('utf8')) as Message);
      }
      pending = pending.subarray(offset);
    });
  });
  await upgradedOrFailed;
  return {
    socket,
    inbox,
    send(text) {
      const payload = Buffer.from(text);
      expect(payload.length).toBeLessThan(126);
      const mask = randomBytes(4);
      const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
      socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
    },
  };
}
