/**
 * The wire protocol between the host and an isolated plugin, shared by both ends and specified in
 * docs/protocol.md (precisely enough to write a plugin in any language from the doc alone).
 *
 * Every message is one of three shapes, JSON-RPC-like but with string error codes:
 * - request:      { id, method, params, deadline_ms? }
 * - response:     { id, result } or { id, error: { code, name, message, hint?, ... } }
 * - notification: { method, params }
 * Both ends may send requests. The guest starts with a `$/hello` request; nothing else is sent before
 * the host has answered it.
 */
import type { ErrorData } from '../../types.js';

/** Sent in `$/hello` so that a stray process talking on stdio is never mistaken for a plugin. */
export const PROTOCOL_MAGIC = 'jovian-plugin-protocol';
/** Framing, handshake, cancellation, liveness. Incompatible changes bump it. */
export const CORE_PROTOCOL_VERSION = 1;
/** The method tables (HostCalls, GuestCalls). Incompatible changes bump it. */
export const APP_PROTOCOL_VERSION = 1;

/** Protocol methods, prefixed with `$/` so they never collide with application methods. */
export const PROTOCOL_METHODS = {
  hello: '$/hello',
  cancel: '$/cancel',
  ping: '$/ping',
  shutdown: '$/shutdown',
} as const;

/** Optional features an end supports, announced in the handshake. */
export type Capability = 'cancel' | 'ping' | 'structured-clone';

export interface RequestMessage {
  readonly id: number;
  readonly method: string;
  /** Positional arguments. */
  readonly params: readonly unknown[];
  /** How long the caller will wait, in ms; the callee may give up after that. */
  readonly deadline_ms?: number | undefined;
  /** Sent while serving the other end's request `cause` (see {@link NotificationMessage.cause}). */
  readonly cause?: number | undefined;
}

export interface SuccessMessage {
  readonly id: number;
  readonly result: unknown;
}

export interface FailureMessage {
  readonly id: number;
  readonly error: ErrorData;
}

export interface NotificationMessage {
  readonly method: string;
  readonly params: readonly unknown[];
  /**
   * The id of the other end's request this message is sent while serving: a log line written during a
   * hook call carries the call's id, so the host files it with the work that made the call. Optional.
   */
  readonly cause?: number | undefined;
}

export type ProtocolMessage = RequestMessage | SuccessMessage | FailureMessage | NotificationMessage;

/** `$/hello` parameters, sent by the guest. */
export interface Hello {
  readonly magic: string;
  readonly core: number;
  readonly app: number;
  readonly capabilities: readonly Capability[];
  /** What runs the plugin: `node`, `python 3.11`, `bash`… (for messages and logs). */
  readonly runtime?: string | undefined;
}

/** The host's answer to `$/hello`. */
export interface Welcome {
  readonly core: number;
  readonly app: number;
  readonly capabilities: readonly Capability[];
  readonly plugin: {
    readonly id: string;
    readonly version: string;
    /** The entry module to load (Node and Lua guests). */
    readonly entry?: string | undefined;
    /**
     * The code to run, as text, when the host sends it (Lua): the guest runs it instead of reading
     * `entry`, which then only names it in messages. Hot reload runs the previous version this way.
     */
    readonly source?: string | undefined;
    /** The hooks the manifest declares (Lua guests tap those their code defines). */
    readonly hooks?: readonly string[] | undefined;
    /** Memory cap of the plugin (MiB), for guests that enforce it themselves (Lua). */
    readonly memory_mb?: number | undefined;
    readonly paths: { readonly data: string; readonly plugin: string; readonly project: string };
  };
}

/**
 * Exit codes of a guest process, so the host can tell why it ended. Codes outside this table (or a
 * signal) mean the process crashed.
 */
export const GUEST_EXIT_CODES = {
  /** Stopped because the host asked (`$/shutdown`) or closed the channel. */
  normal: 0,
  /** The handshake was refused (wrong magic or versions). */
  handshakeRefused: 80,
  /** A message could not be parsed or broke the protocol. */
  protocolError: 81,
  /** The plugin's module could not be loaded. */
  entryFailed: 82,
  /** The host went away without saying goodbye. */
  hostGone: 83,
  /** The plugin threw outside any call (an uncaught exception or unhandled rejection). */
  uncaught: 84,
} as const;

export type GuestExitReason = keyof typeof GUEST_EXIT_CODES;

export function exitReasonOf(code: number | null): GuestExitReason | undefined {
  return (Object.entries(GUEST_EXIT_CODES) as [GuestExitReason, number][]).find(
    ([, value]) => value === code,
  )?.[0];
}

export function isRequest(message: ProtocolMessage): message is RequestMessage {
  return (
    typeof (message as RequestMessage).id === 'number' &&
    typeof (message as RequestMessage).method === 'string'
  );
}

export function isNotification(message: ProtocolMessage): message is NotificationMessage {
  return (
    (message as RequestMessage).id === undefined &&
    typeof (message as NotificationMessage).method === 'string'
  );
}

export function isResponse(message: ProtocolMessage): message is SuccessMessage | FailureMessage {
  return (
    typeof (message as SuccessMessage).id === 'number' && (message as RequestMessage).method === undefined
  );
}
