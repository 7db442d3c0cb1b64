import type { EventsClientMessage, EventsServerMessage } from '../../../src/server/api-types';

export type StreamStatus = 'connecting' | 'connected' | 'disconnected';

export interface EventStreamHandlers {
  /** An event matching one of the patterns. */
  readonly onEvent: (topic: string, payload: unknown) => void;
  /**
   * The patterns are subscribed (after each connection), or the server dropped events for this socket:
   * from now on no event is missed, so this is when to (re)load what the events update.
   */
  readonly onReady: () => void;
  readonly onStatus: (status: StreamStatus) => void;
}

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 10_000;

/**
 * The `/api/events` WebSocket of docs/server.md, subscribed to `patterns` and opened again after a
 * drop (the server restarting, the network), waiting 0.5 s, then twice as long each time up to 10 s.
 * The browser sends the login cookie with the upgrade; without it the server refuses it and this keeps
 * retrying quietly (the API calls are what show the login screen).
 */
export class EventStream {
  readonly #patterns: readonly string[];
  readonly #handlers: EventStreamHandlers;
  #socket: WebSocket | undefined;
  #retryMs = FIRST_RETRY_MS;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(patterns: readonly string[], handlers: EventStreamHandlers) {
    this.#patterns = patterns;
    this.#handlers = handlers;
    this.#open();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close(1000, 'page left');
  }

  #open(): void {
    this.#handlers.onStatus('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/events`);
    this.#socket = socket;
    socket.onopen = () => {
      const request: EventsClientMessage = { subscribe: [...this.#patterns] };
      socket.send(JSON.stringify(request));
    };
    socket.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data !== 'string') return;
      let data: EventsServerMessage;
      try {
        data = JSON.parse(message.data) as EventsServerMessage;
      } catch {
        return; // the server sends JSON only; anything else is not ours to show
      }
      if ('topic' in data) this.#handlers.onEvent(data.topic, data.payload);
      else if ('subscribed' in data) {
        this.#retryMs = FIRST_RETRY_MS;
        this.#handlers.onStatus('connected');
        this.#handlers.onReady();
      } else if ('dropped' in data) this.#handlers.onReady();
    };
    socket.onclose = () => {
      if (this.#closed) return;
      this.#handlers.onStatus('disconnected');
      this.#retryTimer = setTimeout(() => this.#open(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
    };
  }
}
