import type { ProtocolMessage } from './protocol.js';

/**
 * A channel that carries protocol messages between two ends: a MessagePort (worker), Node's IPC
 * channel (child process), newline-delimited JSON on stdio (any executable), or memory (tests).
 */
export interface Transport {
  /**
   * Sends one message. Messages sent after close are dropped. A transport that cannot encode a
   * message (the JSON transport: a Map, a line over its limit) throws without closing; the endpoint
   * fails that call only.
   */
  send(message: ProtocolMessage): void;
  /** The receiver of incoming messages (one per transport). */
  onMessage(listener: (message: ProtocolMessage) => void): void;
  /** Called once when the channel closes: the peer exited, an error occurred, or close() was called. */
  onClose(listener: (reason: string) => void): void;
  close(reason?: string): void;
}

/**
 * Two connected in-memory transports. Every message is structured-cloned and delivered asynchronously,
 * as a real boundary would: what works here works across a MessagePort or IPC.
 */
export function createMemoryTransportPair(): [Transport, Transport] {
  const make = () => {
    let receive: (message: ProtocolMessage) => void = () => undefined;
    const closeListeners: ((reason: string) => void)[] = [];
    let closed = false;
    return {
      state: {
        deliver(message: ProtocolMessage) {
          if (!closed) queueMicrotask(() => !closed && receive(structuredClone(message)));
        },
        shut(reason: string) {
          if (closed) return;
          closed = true;
          for (const listener of closeListeners) listener(reason);
        },
      },
      receive: (listener: (message: ProtocolMessage) => void) => {
        receive = listener;
      },
      closeListeners,
      isClosed: () => closed,
    };
  };
  const left = make();
  const right = make();
  const end = (self: ReturnType<typeof make>, other: ReturnType<typeof make>): Transport => ({
    send: (message) => {
      if (!self.isClosed()) other.state.deliver(message);
    },
    onMessage: self.receive,
    onClose: (listener) => void self.closeListeners.push(listener),
    close: (reason = 'closed') => {
      self.state.shut(reason);
      queueMicrotask(() => other.state.shut('the other end closed the channel'));
    },
  });
  return [end(left, right), end(right, left)];
}
