import type { EventsClientMessage, EventsServerMessage } from '../../../src/server/api-types.js';

// test/unit/web imports this file under Node's rules: `.js` paths, no runtime import of the UI's other files.

export type StreamStatus = 'connecting' | 'connected' | 'disconnected';

export interface EventListener {
  readonly patterns: readonly string[];
  /** An event matching one of the patterns (once, even when it matches several). */
  readonly onEvent: (topic: string, payload: unknown) => void;
  /**
   * The patterns are subscribed (after each connection), or the server dropped events for this socket:
   * from now on no event is missed, so this is when to (re)load what the events update.
   */
  readonly onReady?: () => void;
}

/** The part of a WebSocket the stream uses (a fake one in tests). */
export interface SocketLike {
  onopen: (() => void) | null;
  onmessage: ((message: { readonly data: unknown }) => void) | null;
  onclose: (() => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 10_000;
/** How long the socket stays open with no listener: a page change unsubscribes, then subscribes again. */
const IDLE_CLOSE_MS = 2_000;

interface Entry {
  readonly listener: EventListener;
  /** Its patterns are subscribed on the current connection. */
  ready: boolean;
}

/**
 * The UI's one `/api/events` WebSocket (docs/server.md, "Live events"), shared by every page, panel
 * and widget. Listeners come and go: a pattern is subscribed when its first listener arrives and
 * unsubscribed when its last one leaves. The socket is opened with the first listener and opened again
 * after a drop (0.5 s, then twice as long each time, up to 10 s). The browser sends the login cookie
 * with the upgrade; without it the server refuses it and this keeps retrying quietly (the API calls are
 * what show the login screen).
 */
export class SharedEventStream {
  readonly #connect: () => SocketLike;
  readonly #entries = new Set<Entry>();
  /** Listeners per pattern. */
  readonly #counts = new Map<string, number>();
  readonly #statusListeners = new Set<() => void>();
  #status: StreamStatus = 'connecting';
  #socket: SocketLike | undefined;
  #open = false;
  /** What the server last said this socket listens to. */
  #subscribed = new Set<string>();
  #retryMs = FIRST_RETRY_MS;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(connect: () => SocketLike) {
    this.#connect = connect;
  }

  get status(): StreamStatus {
    return this.#status;
  }

  onStatus(listener: () => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /**
   * Adds a listener; returns the function that removes it.
   * @throws Error when a pattern is malformed (the server would refuse it).
   */
  subscribe(listener: EventListener): () => void {
    const bad = listener.patterns.find((pattern) => !isTopicPattern(pattern));
    if (bad !== undefined)
      throw new Error(
        `event pattern \`${bad}\` is malformed: use dot-separated words; \`*\` matches one word and \`**\` any number`,
      );
    const entry: Entry = { listener, ready: false };
    this.#entries.add(entry);
    clearTimeout(this.#idleTimer);
    const added = this.#count(listener.patterns, +1);
    if (this.#socket === undefined) this.#start();
    else if (this.#open) {
      if (added.length > 0) this.#send({ subscribe: added });
      else this.#markReady();
    }
    return () => {
      if (!this.#entries.delete(entry)) return;
      const removed = this.#count(listener.patterns, -1);
      if (this.#open && removed.length > 0) this.#send({ unsubscribe: removed });
      if (this.#entries.size === 0) this.#idleTimer = setTimeout(() => this.#stop(), IDLE_CLOSE_MS);
    };
  }

  /** Changes the count of each pattern; returns those that appeared (+1) or disappeared (-1). */
  #count(patterns: readonly string[], delta: 1 | -1): string[] {
    const changed: string[] = [];
    for (const pattern of new Set(patterns)) {
      const count = (this.#counts.get(pattern) ?? 0) + delta;
      if (count === 0) this.#counts.delete(pattern);
      else this.#counts.set(pattern, count);
      if ((delta === 1 && count === 1) || (delta === -1 && count === 0)) changed.push(pattern);
    }
    return changed;
  }

  #setStatus(status: StreamStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener();
  }

  #send(message: EventsClientMessage): void {
    this.#socket?.send(JSON.stringify(message));
  }

  #start(): void {
    this.#setStatus('connecting');
    const socket = this.#connect();
    this.#socket = socket;
    socket.onopen = () => {
      this.#open = true;
      this.#subscribed = new Set();
      if (this.#counts.size > 0) this.#send({ subscribe: [...this.#counts.keys()] });
    };
    socket.onmessage = (message) => this.#receive(message.data);
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#open = false;
      this.#socket = undefined;
      for (const entry of this.#entries) entry.ready = false;
      this.#setStatus('disconnected');
      if (this.#entries.size === 0) return;
      this.#retryTimer = setTimeout(() => {
        if (this.#socket === undefined && this.#entries.size > 0) this.#start();
      }, this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
    };
  }

  #stop(): void {
    if (this.#entries.size > 0) return;
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#socket = undefined;
    this.#open = false;
    socket?.close(1000, 'nothing listens');
    this.#setStatus('connecting');
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: EventsServerMessage;
    try {
      message = JSON.parse(data) as EventsServerMessage;
    } catch {
      return; // the server sends JSON only; anything else is not ours to show
    }
    if ('topic' in message) {
      for (const { listener } of [...this.#entries])
        if (listener.patterns.some((pattern) => topicMatches(pattern, message.topic)))
          callSafely(() => listener.onEvent(message.topic, message.payload));
    } else if ('subscribed' in message) {
      this.#subscribed = new Set(message.subscribed);
      this.#retryMs = FIRST_RETRY_MS;
      this.#setStatus('connected');
      this.#markReady();
    } else if ('dropped' in message) {
      for (const entry of this.#entries) if (entry.ready) callSafely(() => entry.listener.onReady?.());
    } else if ('error' in message) {
      console.warn(`the events socket refused a request: ${message.error.message}`);
    }
  }

  /** Tells each listener whose patterns are all subscribed now, once per connection. */
  #markReady(): void {
    for (const entry of this.#entries) {
      if (entry.ready || !entry.listener.patterns.every((p) => this.#subscribed.has(p))) continue;
      entry.ready = true;
      callSafely(() => entry.listener.onReady?.());
    }
  }
}

/** A listener that throws (a plugin's, say) must not stop the others from hearing the event. */
function callSafely(call: () => void): void {
  try {
    call();
  } catch (error) {
    console.error(error);
  }
}

/**
 * Topic patterns as the server reads them (docs/events.md, "Topics and patterns"): dot-separated
 * words of letters, digits, `_` and `-`, where `*` is exactly one word and `**` any number of words.
 * The shared event stream checks a pattern before sending it (the server would refuse the whole
 * request) and routes each event to the listeners whose pattern it matches.
 */
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_LENGTH = 200;

export function isTopicPattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > MAX_LENGTH) return false;
  return pattern.split('.').every((segment) => SEGMENT.test(segment) || segment === '*' || segment === '**');
}

/** True when `topic` matches `pattern` (`*` one word, `**` zero or more words). */
export function topicMatches(pattern: string, topic: string): boolean {
  if (!pattern.includes('*')) return pattern === topic;
  return matchWords(pattern.split('.'), 0, topic.split('.'), 0);
}

function matchWords(want: readonly string[], w: number, got: readonly string[], g: number): boolean {
  while (w < want.length) {
    const word = want[w]!;
    if (word === '**') {
      if (w === want.length - 1) return true;
      for (let skip = g; skip <= got.length; skip++) if (matchWords(want, w + 1, got, skip)) return true;
      return false;
    }
    if (g >= got.length || (word !== '*' && word !== got[g])) return false;
    w++;
    g++;
  }
  return g === got.length;
}
