/**
 * The messages of `GET /api/events` (docs/server.md, "Live events"): checking what clients send and
 * serialising events. The message types live in api-types.ts, which clients such as web/ import.
 */
import { JovianError } from '../errors.js';
import { type BusEvent, validatePattern } from '../events/index.js';

/** Patterns one socket may hold at once: enough for any UI, small enough to keep matching cheap. */
export const MAX_PATTERNS = 64;

export type { EventsClientMessage, EventsServerMessage } from './api-types.js';

/** A client message once checked. */
export type StreamRequest = {
  readonly op: 'subscribe' | 'unsubscribe';
  readonly patterns: readonly string[];
};

const HINT = 'send { "subscribe": ["plugin.*"] } or { "unsubscribe": ["plugin.*"] } (docs/server.md)';

/** A client message → a request, or a JovianError saying what is wrong with it. */
export function parseRequest(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): StreamRequest {
  if (isBinary)
    throw new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', 'binary messages are not understood', {
      hint: `send JSON text: ${HINT}`,
    });
  const text = Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Buffer.from(data).toString('utf8');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_SERVER_BAD_REQUEST',
      `the message is not JSON: ${(error as Error).message}`,
      {
        hint: HINT,
      },
    );
  }
  const keys = typeof message === 'object' && message !== null ? Object.keys(message) : [];
  const op = keys[0];
  if (keys.length !== 1 || (op !== 'subscribe' && op !== 'unsubscribe') || Array.isArray(message))
    throw new JovianError(
      'JOVIAN_E_SERVER_BAD_REQUEST',
      'a message must be an object with one key, `subscribe` or `unsubscribe`',
      { hint: HINT },
    );
  const patterns = (message as Record<string, unknown>)[op];
  if (
    !Array.isArray(patterns) ||
    patterns.length === 0 ||
    patterns.length > MAX_PATTERNS ||
    !patterns.every((p) => typeof p === 'string')
  )
    throw new JovianError(
      'JOVIAN_E_SERVER_BAD_REQUEST',
      `\`${op}\` must be a list of 1 to ${MAX_PATTERNS} topic patterns`,
      { hint: HINT },
    );
  for (const pattern of patterns) validatePattern(pattern);
  return { op, patterns };
}

/**
 * `{ topic, payload, at }`. Payloads are structured-cloneable, which JSON is not quite: a bigint is
 * sent as its decimal string; a payload JSON cannot hold at all (a cycle) is sent as `null` with
 * `unserializable` saying why, so the client still learns the event happened.
 */
export function serialiseEvent(event: BusEvent): string {
  try {
    return JSON.stringify({ topic: event.topic, payload: event.payload ?? null, at: event.at }, bigints);
  } catch (error) {
    return JSON.stringify({
      topic: event.topic,
      payload: null,
      at: event.at,
      unserializable: (error as Error).message,
    });
  }
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
