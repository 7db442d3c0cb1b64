import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { CancelledError, errorToData, JovianError } from '../../errors.js';
import type { ErrorData } from '../../types.js';
import type { Handlers, Port } from './channel.js';
import { Deadlines } from './deadlines.js';
import {
  type FailureMessage,
  isNotification,
  isRequest,
  isResponse,
  type NotificationMessage,
  PROTOCOL_METHODS,
  type ProtocolMessage,
  type RequestMessage,
} from './protocol.js';
import type { Transport } from './transport.js';

type Fn = (...args: never[]) => unknown;

export interface CallOptions {
  /** Give up after this many ms (the callee is told, and sent `$/cancel` on expiry). */
  readonly deadlineMs?: number | undefined;
  /** Cancels the call: it rejects with JOVIAN_E_CANCELLED and the callee is sent `$/cancel`. */
  readonly signal?: AbortSignal | undefined;
}

export interface EndpointOptions {
  /** Who is at the other end, for messages: "plugin `weather`". */
  readonly label: string;
  /** Deadline of outgoing calls without one of their own (ms); default none. */
  readonly defaultDeadlineMs?: number;
  /** Called when an outgoing call misses its deadline: the other end may be stuck. */
  readonly onUnresponsive?: (method: string, deadlineMs: number) => void;
  /**
   * Guest side: what this end sends while serving a request for one of these methods carries that
   * request's id as `cause`, so the other end can tell which of its calls a log line or a call back
   * belongs to. Only the methods listed pay for it (an async context per call).
   */
  readonly tagCause?: readonly string[];
  /**
   * Host side: a request or notification with a `cause` naming a call of one of these methods is
   * handled in the async context of that call (so it is filed with the work that made the call, e.g.
   * one chat exchange among several).
   */
  readonly followCause?: readonly string[];
}

/** The request an endpoint is serving, in the async context of its handler (guests with `tagCause`). */
const serving = new AsyncLocalStorage<{ readonly endpoint: object; readonly id: number }>();

interface Pending {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly deadlineMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
  /** The caller's async context (endpoints with `followCause`). */
  readonly context: AsyncResource | undefined;
}

/** An incoming request; its AbortController is made only for handlers that take a signal. */
interface Incoming {
  cancelled: boolean;
  controller?: AbortController;
}

/** A handler's context for one incoming request. */
export interface IncomingCall {
  readonly signal: AbortSignal;
  readonly deadlineMs: number | undefined;
}

/**
 * One end of the protocol over a transport: it sends requests and matches their responses, serves the
 * requests of the other end with `handlers`, and turns errors into plain data and back. Every outgoing
 * call can have a deadline and be cancelled; when the transport closes, every pending call fails with
 * JOVIAN_E_RUNTIME_CLOSED. Used identically by the host and by Node guests; docs/protocol.md is the
 * specification for guests in other languages.
 */
export class RpcEndpoint<Local extends { [K in keyof Local]: Fn }, Remote extends { [K in keyof Remote]: Fn }>
  implements Port<Remote>
{
  readonly #transport: Transport;
  readonly #options: EndpointOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #incoming = new Map<number, Incoming>();
  readonly #deadlines = new Deadlines((id) => this.#expire(id));
  readonly #notificationListeners = new Map<string, (params: readonly unknown[]) => void>();
  readonly #closeListeners: ((reason: string) => void)[] = [];
  #handlers: Partial<Handlers<Local>> = {};
  /** Requests that arrived before serve(): answered once it is called. */
  #early: RequestMessage[] | undefined = [];
  #protocolHandlers = new Map<string, (params: readonly unknown[], call: IncomingCall) => unknown>();
  #nextId = 1;
  #closed: string | undefined;

  constructor(transport: Transport, options: EndpointOptions) {
    this.#transport = transport;
    this.#options = options;
    transport.onMessage((message) => this.#receive(message));
    transport.onClose((reason) => this.#shut(reason));
    // Liveness: every end answers `$/ping` with `{}`, even before serve().
    this.#protocolHandlers.set(PROTOCOL_METHODS.ping, () => ({}));
  }

  /** The calls this end answers. Requests for other methods fail with JOVIAN_E_PROTOCOL_ERROR. */
  serve(handlers: Partial<Handlers<Local>>): void {
    this.#handlers = handlers;
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const request of early) void this.#answer(request);
  }

  /** Answers a protocol method (`$/hello`, `$/ping`…) with the raw parameters. */
  serveProtocol(method: string, handler: (params: readonly unknown[], call: IncomingCall) => unknown): void {
    this.#protocolHandlers.set(method, handler);
  }

  onNotification(method: string, listener: (params: readonly unknown[]) => void): void {
    this.#notificationListeners.set(method, listener);
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Called once, with the reason, when the channel closes. */
  onClose(listener: (reason: string) => void): void {
    if (this.#closed !== undefined) listener(this.#closed);
    else this.#closeListeners.push(listener);
  }

  call<M extends keyof Remote>(
    method: M,
    ...args: Parameters<Remote[M]>
  ): Promise<Awaited<ReturnType<Remote[M]>>> {
    return this.request(String(method), args, {}) as Promise<Awaited<ReturnType<Remote[M]>>>;
  }

  /** Any method (protocol methods included) with positional `params`. */
  request(method: string, params: readonly unknown[], options: CallOptions = {}): Promise<unknown> {
    if (this.#closed !== undefined) return Promise.reject(this.#closedError(method));
    if (options.signal?.aborted) return Promise.reject(new CancelledError(`${method} was cancelled`));
    const id = this.#nextId++;
    const deadlineMs = options.deadlineMs ?? this.#options.defaultDeadlineMs;
    const finite = deadlineMs !== undefined && Number.isFinite(deadlineMs);
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      const onAbort = signal
        ? () => {
            this.#settle(id);
            this.#transport.send({ method: PROTOCOL_METHODS.cancel, params: [id] });
            reject(new CancelledError(`${method} was cancelled`));
          }
        : undefined;
      // An AsyncResource keeps the caller's context for a fraction of AsyncLocalStorage.snapshot()'s cost.
      const context = this.#options.followCause?.includes(method)
        ? new AsyncResource('jovian.call')
        : undefined;
      this.#pending.set(id, { method, resolve, reject, deadlineMs, signal, onAbort, context });
      if (finite) this.#deadlines.add(id, deadlineMs);
      if (signal && onAbort) signal.addEventListener('abort', onAbort, { once: true });
      const cause = this.#cause();
      const message: RequestMessage = finite
        ? { id, method, params, deadline_ms: deadlineMs, cause }
        : { id, method, params, cause };
      try {
        this.#transport.send(message);
      } catch (error) {
        // The transport could not encode it (a value JSON cannot carry, a message over the line limit).
        this.#settle(id);
        reject(error);
      }
    });
  }

  notify(method: string, ...params: unknown[]): void {
    if (this.#closed === undefined) this.#transport.send({ method, params, cause: this.#cause() });
  }

  /** The request of the other end this one is serving, when it tags what it sends (guests). */
  #cause(): number | undefined {
    if (this.#options.tagCause === undefined) return undefined;
    const current = serving.getStore();
    return current?.endpoint === this ? current.id : undefined;
  }

  /** Runs `handle` in the context of the call `message` names as its cause, if this end follows causes. */
  #inCauseContext(message: RequestMessage | NotificationMessage, handle: () => void): void {
    const context =
      message.cause !== undefined && this.#options.followCause !== undefined
        ? this.#pending.get(message.cause)?.context
        : undefined;
    if (context) context.runInAsyncScope(handle);
    else handle();
  }

  close(reason = 'closed by this end'): void {
    this.#transport.close(reason);
    this.#shut(reason);
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    if (pending.deadlineMs !== undefined) this.#deadlines.delete(id);
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    return pending;
  }

  /** A call missed its deadline: it fails, the other end is told to drop it, and may be unresponsive. */
  #expire(id: number): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#settle(id);
    const ms = pending.deadlineMs ?? 0;
    this.#transport.send({ method: PROTOCOL_METHODS.cancel, params: [id] });
    pending.reject(
      new JovianError(
        'JOVIAN_E_CALL_TIMEOUT',
        `${this.#options.label}: ${pending.method}() did not finish within ${ms} ms`,
      ),
    );
    this.#options.onUnresponsive?.(pending.method, ms);
  }

  #receive(message: ProtocolMessage): void {
    if (isResponse(message)) {
      const pending = this.#settle(message.id);
      if (!pending) return;
      if ('error' in message) pending.reject(receivedError((message as FailureMessage).error));
      else pending.resolve(message.result);
      return;
    }
    if (isRequest(message)) {
      if (this.#early && !this.#protocolHandlers.has(message.method)) this.#early.push(message);
      else if (message.cause === undefined) void this.#answer(message);
      else this.#inCauseContext(message, () => void this.#answer(message));
      return;
    }
    if (isNotification(message)) {
      if (message.cause === undefined) this.#onNotification(message);
      else this.#inCauseContext(message, () => this.#onNotification(message));
      return;
    }
    this.#transport.send({
      method: '$/error',
      params: [protocolError(`malformed message: ${safeJson(message)}`)],
    });
  }

  #onNotification(message: NotificationMessage): void {
    if (message.method === PROTOCOL_METHODS.cancel) {
      const id = Number(message.params?.[0]);
      const incoming = this.#incoming.get(id);
      if (incoming) {
        incoming.cancelled = true;
        incoming.controller?.abort();
      }
      return;
    }
    this.#notificationListeners.get(message.method)?.(message.params ?? []);
  }

  async #answer(request: RequestMessage): Promise<void> {
    const incoming: Incoming = { cancelled: false };
    this.#incoming.set(request.id, incoming);
    try {
      const protocolHandler = this.#protocolHandlers.get(request.method);
      const handler = this.#handlers[request.method as keyof Local] as
        | ((...args: unknown[]) => unknown)
        | undefined;
      let result: unknown;
      if (protocolHandler) {
        incoming.controller = new AbortController();
        result = await protocolHandler(request.params ?? [], {
          signal: incoming.controller.signal,
          deadlineMs: request.deadline_ms,
        });
      } else if (typeof handler === 'function' && Object.hasOwn(this.#handlers, request.method)) {
        const params = request.params ?? [];
        result = this.#options.tagCause?.includes(request.method)
          ? serving.run({ endpoint: this, id: request.id }, () => handler(...params))
          : handler(...params);
        // Awaited only when it is a promise: a plain answer leaves a turn earlier.
        if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') result = await result;
      } else
        throw new JovianError(
          'JOVIAN_E_PROTOCOL_ERROR',
          `${this.#options.label}: unknown method \`${request.method}\``,
        );
      if (incoming.cancelled || this.#closed !== undefined) return;
      // `undefined` survives structured clone; a JSON transport sends `null`. A result the transport
      // cannot encode throws here and is answered as an error below.
      this.#transport.send({ id: request.id, result });
    } catch (error) {
      if (incoming.cancelled || this.#closed !== undefined) return;
      this.#transport.send({ id: request.id, error: errorToData(error) });
    } finally {
      this.#incoming.delete(request.id);
    }
  }

  #shut(reason: string): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    for (const [id, pending] of [...this.#pending]) {
      this.#settle(id);
      pending.reject(this.#closedError(pending.method));
    }
    for (const incoming of this.#incoming.values()) {
      incoming.cancelled = true;
      incoming.controller?.abort();
    }
    for (const listener of this.#closeListeners.splice(0)) listener(reason);
  }

  #closedError(method: string): JovianError {
    return new JovianError(
      'JOVIAN_E_RUNTIME_CLOSED',
      `${this.#options.label}: ${method} failed, the channel is closed (${this.#closed ?? 'closed'})`,
    );
  }
}

/**
 * An error received from the other end, rebuilt as a JovianError. Guests in other languages build
 * error data by hand: a malformed one becomes a protocol error instead of throwing here.
 */
function receivedError(data: unknown): JovianError {
  const checked = checkedErrorData(data, 0);
  return checked
    ? JovianError.fromData(checked)
    : new JovianError('JOVIAN_E_PROTOCOL_ERROR', `malformed error in a response: ${safeJson(data)}`, {
        hint: 'an error is { code, name, message, hint? } (docs/protocol.md)',
      });
}

function checkedErrorData(data: unknown, depth: number): ErrorData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const raw = data as Record<string, unknown>;
  if (typeof raw.message !== 'string') return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    code: text(raw.code) ?? 'JOVIAN_E_UNEXPECTED',
    name: text(raw.name) ?? 'Error',
    message: raw.message,
    hint: text(raw.hint),
    where:
      typeof raw.where === 'object' && raw.where !== null ? (raw.where as ErrorData['where']) : undefined,
    stack: text(raw.stack),
    cause: depth < 8 ? checkedErrorData(raw.cause, depth + 1) : undefined,
  };
}

function protocolError(message: string): ErrorData {
  return { code: 'JOVIAN_E_PROTOCOL_ERROR', name: 'JovianError', message };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 200);
  } catch {
    return String(value);
  }
}
