import type { WebsocketHandler } from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorToData, JovianError } from '../errors.js';
import type { BusEvent, EventBus, Subscription } from '../events/index.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { sameOrigin } from './auth.js';
import { MAX_PATTERNS, parseRequest, type StreamRequest, serialiseEvent } from './events-protocol.js';
import { sendError } from './http-errors.js';

/** What a client may have unsent in its socket before events are dropped, by default: 1 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** Events the bus may hold for one socket; when full, the oldest is dropped (and counted). */
const BUS_QUEUE_SIZE = 1000;
/**
 * How long a closing server waits for a client to answer its close frame before cutting the socket.
 * `ws` alone waits 30 s, and a client that stopped reading never answers: `jovian serve` would take
 * that long to stop.
 */
const CLOSE_GRACE_MS = 1000;
/**
 * Options for `@fastify/websocket`: client messages are small JSON requests, so a frame larger than
 * this closes the socket (1009) instead of being buffered whole (`ws` accepts 100 MiB by default).
 */
export const WEBSOCKET_OPTIONS = { options: { maxPayload: 64 * 1024 } } as const;

export interface EventsSocketOptions {
  /** Above this many unsent bytes in a socket, events for it are dropped and counted; default 1 MiB. */
  readonly maxBufferedBytes?: number;
}

/** One connected client, as the server sees it (read-only; for tests and diagnostics). */
export interface EventsClientStats {
  readonly patterns: readonly string[];
  /** Bytes written to the socket and not yet handed to the OS. */
  readonly bufferedAmount: number;
  /** The highest `bufferedAmount` seen right after a send. */
  readonly peakBufferedAmount: number;
  /** Events this client missed since it connected: dropped by the socket cap or the bus queue. */
  readonly dropped: number;
  /** True while the server does not read the client's messages, until it reads what it was sent. */
  readonly readingPaused: boolean;
}

export interface EventsSocket {
  clients(): readonly EventsClientStats[];
}

/**
 * What this module uses of a `ws` 8 WebSocket. Spelled out here because `ws` ships no types (and
 * `@types/ws` is not a dependency): the handler's socket would otherwise be `any`.
 */
interface EventSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string, callback: (error?: Error | null) => void): void;
  close(code: number, reason: string): void;
  terminate(): void;
  pause(): void;
  resume(): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): void;
  on(event: 'close', listener: () => void): void;
}

const OPEN = 1;

/**
 * `GET /api/events`, the live event stream (docs/server.md, "Live events"): a WebSocket on which a
 * client subscribes to topic patterns and receives `{ topic, payload, at }` for each matching event.
 *
 * Needs `@fastify/websocket` registered first (it routes the upgrade through Fastify, so the token
 * hook of auth.ts runs on it). Each socket holds one bus subscription, replaced when its patterns
 * change and disposed on close. Memory per client is bounded twice: the bus queue (drop-oldest) and
 * the socket's unsent bytes (`maxBufferedBytes`: above it an event is dropped, not sent); the count
 * of what was missed is sent as `{ dropped: n }` once the socket has drained below the cap.
 * @example
 * await app.register(websocket, WEBSOCKET_OPTIONS);
 * const events = eventsSocket(app, host);
 * events.clients(); // [{ patterns: ['plugin.*'], bufferedAmount: 0, peakBufferedAmount: 310, dropped: 0, … }]
 */
export function eventsSocket(
  app: FastifyInstance,
  host: PluginHost<ChatHooks>,
  options: EventsSocketOptions = {},
): EventsSocket {
  if (!app.hasDecorator('websocketServer'))
    throw new JovianError(
      'JOVIAN_E_INTERNAL',
      'eventsSocket() needs @fastify/websocket registered on this Fastify instance first',
      { hint: 'await app.register(websocket, WEBSOCKET_OPTIONS) before eventsSocket(app, host)' },
    );
  const requested = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  // A NaN cap would compare false forever and bound nothing.
  const cap = Number.isFinite(requested) ? Math.max(0, requested) : DEFAULT_MAX_BUFFERED_BYTES;
  const clients = new Set<EventsClient>();

  const wsHandler: WebsocketHandler = (socket) => {
    const client = new EventsClient(socket as EventSocket, host.events, cap);
    clients.add(client);
    (socket as EventSocket).on('close', () => {
      client.close();
      clients.delete(client);
    });
  };
  app.route({
    method: 'GET',
    url: '/api/events',
    onRequest: refuseForeignOrigin,
    // A plain GET (no upgrade) lands here.
    handler: (_request, reply) =>
      sendError(
        reply,
        new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', '/api/events is a WebSocket, not an HTTP route', {
          hint: 'connect with a WebSocket client to ws://<host>/api/events (see docs/server.md, "Live events")',
        }),
      ),
    wsHandler,
  });
  app.addHook('preClose', async () => {
    await Promise.all([...clients].map((client) => client.shutdown(CLOSE_GRACE_MS)));
  });
  return { clients: () => [...clients].map((client) => client.stats) };
}

/**
 * Browsers send cookies with a WebSocket upgrade from any page of the same site (another port of
 * `localhost` included) and do not apply CORS to it, so a foreign page could read the stream with the
 * operator's cookie. The upgrade is a GET, which auth.ts does not check for Origin: refuse it here.
 */
async function refuseForeignOrigin(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  if (sameOrigin(request)) return undefined;
  return sendError(
    reply,
    new JovianError(
      'JOVIAN_E_SERVER_ORIGIN_REFUSED',
      `a WebSocket from origin ${request.headers.origin} is refused: it is not this server's`,
      {
        hint: 'open the event stream from the Jovian UI itself, or from a client that sends no Origin header',
      },
    ),
  );
}

/** One socket: its patterns, its bus subscription and what it missed. */
class EventsClient {
  readonly #socket: EventSocket;
  readonly #bus: EventBus;
  readonly #cap: number;
  #patterns: readonly string[] = [];
  #subscription: Subscription | undefined;
  /** Drops of subscriptions already replaced or disposed (their own counters die with them). */
  #retiredBusDrops = 0;
  #socketDrops = 0;
  /** Drops already announced with `{ dropped }`. */
  #reported = 0;
  #peak = 0;
  #paused = false;
  #closed = false;
  #onClosed: () => void = () => {};
  readonly #whenClosed = new Promise<void>((resolve) => {
    this.#onClosed = resolve;
  });

  constructor(socket: EventSocket, bus: EventBus, cap: number) {
    this.#socket = socket;
    this.#bus = bus;
    this.#cap = cap;
    socket.on('message', this.#onMessage);
  }

  get stats(): EventsClientStats {
    return {
      patterns: this.#patterns,
      bufferedAmount: this.#socket.bufferedAmount,
      peakBufferedAmount: this.#peak,
      dropped: this.#dropped(),
      readingPaused: this.#paused,
    };
  }

  /** The socket has closed: drop the subscription. */
  close(): void {
    this.#closed = true;
    this.#resubscribe([]);
    this.#onClosed();
  }

  /** Server shutdown: a close frame (1001), then the socket is cut if the client has not answered in time. */
  async shutdown(graceMs: number): Promise<void> {
    if (this.#closed) return;
    this.#socket.close(1001, 'server shutting down');
    const timer = setTimeout(() => this.#socket.terminate(), graceMs);
    await this.#whenClosed;
    clearTimeout(timer);
  }

  #dropped(): number {
    return this.#socketDrops + this.#retiredBusDrops + (this.#subscription?.stats.dropped ?? 0);
  }

  /** The bus handler: synchronous, so the bus never waits on a socket. */
  readonly #deliver = (event: BusEvent): void => {
    if (this.#closed || this.#socket.readyState !== OPEN) return;
    if (this.#socket.bufferedAmount > this.#cap) {
      this.#socketDrops++;
      return;
    }
    this.#announceDrops();
    this.#send(serialiseEvent(event));
  };

  /** Called by `ws` once a message has been handed to the OS: the buffer may be under the cap again. */
  readonly #written = (error?: Error | null): void => {
    // Node calls back with `null` on success.
    if (error || this.#closed) return;
    if (this.#socket.bufferedAmount > this.#cap) return;
    if (this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
    this.#announceDrops();
  };

  readonly #onMessage = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void => {
    let reply: unknown;
    try {
      reply = { subscribed: this.#apply(parseRequest(data, isBinary)) };
    } catch (error) {
      const { code, message, hint } = errorToData(error);
      reply = { error: { code, message, hint: hint ?? null } };
    }
    this.#send(JSON.stringify(reply));
    // Replies are never dropped, so a client that sends without reading would grow the buffer:
    // stop reading from it until it reads what it was sent.
    if (this.#socket.bufferedAmount > this.#cap && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
  };

  #send(data: string): void {
    if (this.#socket.readyState !== OPEN) return;
    this.#socket.send(data, this.#written);
    const buffered = this.#socket.bufferedAmount;
    if (buffered > this.#peak) this.#peak = buffered;
  }

  #announceDrops(): void {
    const dropped = this.#dropped();
    if (dropped === this.#reported) return;
    const count = dropped - this.#reported;
    this.#reported = dropped;
    this.#send(`{"dropped":${count}}`);
  }

  /** Applies a request; returns every pattern the socket now listens to. */
  #apply(request: StreamRequest): readonly string[] {
    const next = new Set(this.#patterns);
    for (const pattern of request.patterns) {
      if (request.op === 'subscribe') next.add(pattern);
      else next.delete(pattern);
    }
    if (next.size > MAX_PATTERNS)
      throw new JovianError(
        'JOVIAN_E_SERVER_BAD_REQUEST',
        `a socket may listen to at most ${MAX_PATTERNS} patterns; this request would make ${next.size}`,
        { hint: 'unsubscribe from some patterns, or use wildcards (`plugin.*`, `chat.**`)' },
      );
    const changed = next.size !== this.#patterns.length || this.#patterns.some((p) => !next.has(p));
    if (changed) this.#resubscribe([...next]);
    return this.#patterns;
  }

  /**
   * A bus subscription's patterns are fixed, so a change replaces it. Events still queued in the old
   * one (only those emitted earlier in this same tick: the handler is synchronous) are counted as
   * dropped rather than silently lost.
   */
  #resubscribe(patterns: readonly string[]): void {
    const previous = this.#subscription;
    this.#subscription =
      patterns.length === 0
        ? undefined
        : this.#bus.subscribe(patterns, this.#deliver, {
            name: 'websocket /api/events',
            queueSize: BUS_QUEUE_SIZE,
            overflow: 'drop-oldest',
          });
    this.#patterns = patterns;
    if (previous !== undefined) {
      previous.dispose();
      this.#retiredBusDrops += previous.stats.dropped;
    }
  }
}
