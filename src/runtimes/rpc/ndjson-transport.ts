import type { Readable, Writable } from 'node:stream';
import { JovianError } from '../../errors.js';
import { decodeJson, encodeJson } from './json-codec.js';
import type { ProtocolMessage } from './protocol.js';
import type { Transport } from './transport.js';

/** The longest line either end sends or accepts, in bytes (UTF-8), without its newline. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
const PREVIEW_CHARS = 120;

export interface NdjsonTransportOptions {
  /** The line limit, in bytes; default MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
  /** Called once, just before the channel closes, when the other end breaks the framing. */
  readonly onProtocolError?: (error: JovianError) => void;
  /** The close reason when the input ends; default "the other end closed the stream". */
  readonly endReason?: string;
}

/**
 * Newline-delimited JSON over a pair of streams (a program's stdout and stdin): one message per line,
 * UTF-8, values converted by the JSON codec (json-codec.ts). Blank lines are ignored and a `\r` before
 * the newline is tolerated. Anything else that is not one JSON object per line — text, a line longer
 * than the limit, a message that breaks the protocol — is a protocol error: `onProtocolError` is told
 * and the channel is closed, since nothing said afterwards could be trusted. Reading is bounded: a long
 * line is refused as soon as it passes the limit, without waiting for its end.
 *
 * `send` throws JOVIAN_E_NOT_CLONEABLE (a value JSON cannot carry) or
 * JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE (a line over the limit) without closing the channel: the
 * endpoint fails that one call.
 */
export function ndjsonTransport(
  input: Readable,
  output: Writable,
  options: NdjsonTransportOptions = {},
): Transport {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const closeListeners: ((reason: string) => void)[] = [];
  let receive: ((message: ProtocolMessage) => void) | undefined;
  let closed = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;

  const shut = (reason: string) => {
    if (closed) return;
    closed = true;
    pending = [];
    pendingBytes = 0;
    input.off('data', onData);
    // Keep draining, so a program still writing is never blocked on a full pipe.
    input.resume();
    for (const listener of closeListeners.splice(0)) listener(reason);
  };

  const fail = (error: JovianError) => {
    if (closed) return;
    options.onProtocolError?.(error);
    shut(error.message);
    output.end();
  };

  const tooLong = () =>
    new JovianError(
      'JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE',
      `line ${lineNumber + 1} is longer than ${maxLineBytes} bytes`,
    );

  function onData(data: Buffer | string): void {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    let start = 0;
    while (!closed) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        const rest = chunk.length - start;
        if (pendingBytes + rest > maxLineBytes) {
          fail(tooLong());
          return;
        }
        if (rest > 0) {
          pending.push(chunk.subarray(start));
          pendingBytes += rest;
        }
        return;
      }
      const piece = chunk.subarray(start, end);
      if (pendingBytes + piece.length > maxLineBytes) {
        fail(tooLong());
        return;
      }
      const line =
        pendingBytes === 0 ? piece : Buffer.concat([...pending, piece], pendingBytes + piece.length);
      pending = [];
      pendingBytes = 0;
      start = end + 1;
      deliver(line);
    }
  }

  function deliver(line: Buffer): void {
    lineNumber++;
    const text = line.toString('utf8').trimEnd();
    if (text === '') return;
    const message = parseMessage(text, lineNumber);
    if (message instanceof JovianError) {
      fail(message);
      return;
    }
    try {
      receive?.(message);
    } catch (error) {
      const why = (error as Error).message;
      fail(protocolError(`line ${lineNumber} broke the protocol (${why}): ${preview(text)}`));
    }
  }

  input.once('end', () => {
    if (pendingBytes > 0) {
      const last = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      deliver(last);
    }
    shut(options.endReason ?? 'the other end closed the stream');
  });
  input.once('error', (error) => shut(`reading failed: ${error.message}`));
  output.on('error', (error) => shut(`writing failed: ${error.message}`));

  return {
    send(message) {
      if (closed) return;
      const line = encodeJson(withResult(message));
      if (line.length > maxLineBytes / 3 && Buffer.byteLength(line) > maxLineBytes) {
        throw new JovianError(
          'JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE',
          `a message of ${Buffer.byteLength(line)} bytes is longer than the ${maxLineBytes}-byte line limit`,
        );
      }
      output.write(`${line}\n`);
    },
    onMessage(listener) {
      receive = listener;
      // Reading starts with the first listener, so no message arrives before someone can take it.
      if (!closed) input.on('data', onData);
    },
    onClose: (listener) => void closeListeners.push(listener),
    close(reason = 'closed') {
      if (closed) return;
      shut(reason);
      output.end();
    },
  };
}

/** One line as a message object, or the protocol error it is. */
function parseMessage(text: string, lineNumber: number): ProtocolMessage | JovianError {
  let message: unknown;
  try {
    message = decodeJson(text);
  } catch {
    return protocolError(`line ${lineNumber} is not JSON: ${preview(text)}`);
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message))
    return protocolError(`line ${lineNumber} is not a protocol message (a JSON object): ${preview(text)}`);
  return message as ProtocolMessage;
}

/** A success response always carries `result` on the wire: `undefined` would drop the key. */
function withResult(message: ProtocolMessage): ProtocolMessage {
  return 'result' in message && message.result === undefined ? { id: message.id, result: null } : message;
}

function protocolError(message: string): JovianError {
  return new JovianError('JOVIAN_E_PROTOCOL_ERROR', message);
}

function preview(text: string): string {
  const shown = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return JSON.stringify(shown);
}
