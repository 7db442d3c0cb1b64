import type { ChildProcess } from 'node:child_process';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { ProtocolMessage } from './protocol.js';
import type { Transport } from './transport.js';

/** What both ends of a Node channel look like: a way to post and a way to receive. */
interface Channel {
  post(message: ProtocolMessage | ProtocolMessage[]): void;
  listen(listener: (posted: ProtocolMessage | ProtocolMessage[]) => void): void;
  /** Calls back once when the channel ends, with why. */
  watch(onEnd: (reason: string) => void): void;
  end(): void;
}

function transportOver(channel: Channel): Transport {
  let closed = false;
  const closeListeners: ((reason: string) => void)[] = [];
  const shut = (reason: string) => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
  };
  channel.watch(shut);
  // Messages sent in one tick leave in at most two posts (an array when there are several): posting is
  // the dearest step of a Node channel, and a burst of calls then costs two posts instead of hundreds.
  let queue: ProtocolMessage[] = [];
  let receive: (message: ProtocolMessage) => void = () => undefined;
  const post = (message: ProtocolMessage | ProtocolMessage[]): unknown => {
    try {
      channel.post(message);
      return undefined;
    } catch (error) {
      return error;
    }
  };
  const flush = () => {
    const batch = queue;
    queue = [];
    if (closed || batch.length === 0) return;
    const failure = post(batch.length === 1 ? batch[0]! : batch);
    if (failure === undefined) return;
    if (!isCloneError(failure)) {
      shut(`sending failed: ${(failure as Error).message}`);
      return;
    }
    // One message carried a value that cannot cross (a function, a class instance): only its call fails.
    for (const message of batch) {
      const error = batch.length === 1 ? failure : post(message);
      if (error !== undefined && !closed) unsendable(message, error as Error, post, receive);
    }
  };
  // The first message of a tick leaves at once (a lone call waits for nothing); the ones that follow it
  // in the same tick are posted together when the tick's microtasks run.
  let sentThisTick = false;
  const endTick = () => {
    sentThisTick = false;
    flush();
  };
  return {
    send(message) {
      if (closed) return;
      if (sentThisTick) {
        queue.push(message);
        return;
      }
      sentThisTick = true;
      queueMicrotask(endTick);
      queue.push(message);
      flush();
    },
    onMessage: (listener) => {
      receive = listener;
      channel.listen((posted) => {
        if (!Array.isArray(posted)) listener(posted);
        else for (const message of posted) listener(message as ProtocolMessage);
      });
    },
    onClose: (listener) => void closeListeners.push(listener),
    close(reason = 'closed') {
      shut(reason);
      channel.end();
    },
  };
}

/** A MessagePort throws DataCloneError; Node's IPC serializer a plain Error "… could not be cloned." */
function isCloneError(error: unknown): boolean {
  const { name, message } = (error ?? {}) as Partial<Error>;
  return name === 'DataCloneError' || /could not be cloned/.test(String(message));
}

/**
 * A message that structured clone refused: an answer goes out as a JOVIAN_E_NOT_CLONEABLE failure
 * instead; a request fails here, at its caller, as if the other end had refused it.
 */
function unsendable(
  message: ProtocolMessage,
  error: Error,
  post: (message: ProtocolMessage) => unknown,
  receive: (message: ProtocolMessage) => void,
): void {
  const id = (message as { id?: unknown }).id;
  if (typeof id !== 'number') return;
  const failure = {
    code: 'JOVIAN_E_NOT_CLONEABLE',
    name: 'JovianError',
    message: `a value cannot cross the plugin boundary: ${error.message}`,
    hint: 'pass plain data (objects, arrays, strings, numbers, Map, Set, Date, Uint8Array), not functions or class instances',
  };
  if ('method' in message) receive({ id, error: failure });
  else post({ id, error: failure });
}

/** The host's end of a worker: structured clone over the worker's port. */
export function workerHostTransport(worker: Worker): Transport {
  return transportOver({
    post: (message) => worker.postMessage(message),
    listen: (listener) => void worker.on('message', listener),
    watch: (onEnd) => {
      worker.once('exit', (code) => onEnd(`the worker exited with code ${code}`));
      worker.once('error', (error) => onEnd(`the worker failed: ${error.message}`));
    },
    end: () => undefined,
  });
}

/** The guest's end inside a worker (`parentPort`). */
export function workerGuestTransport(port: MessagePort): Transport {
  return portTransport(port, 'the host closed the channel');
}

/** Either end of a MessagePort (a channel of its own per plugin, as Lua plugins sharing a worker have). */
export function portTransport(
  port: MessagePort,
  closedReason = 'the other end closed the channel',
): Transport {
  return transportOver({
    post: (message) => port.postMessage(message),
    listen: (listener) => void port.on('message', listener),
    watch: (onEnd) => void port.once('close', () => onEnd(closedReason)),
    end: () => port.close(),
  });
}

/** The host's end of a child process forked with an IPC channel (advanced serialization). */
export function childHostTransport(child: ChildProcess): Transport {
  return transportOver({
    post: (message) => {
      child.send(message);
    },
    listen: (listener) => void child.on('message', (message) => listener(message as ProtocolMessage)),
    watch: (onEnd) => {
      child.once('exit', (code, signal) =>
        onEnd(signal ? `the process was killed by ${signal}` : `the process exited with code ${code}`),
      );
      child.once('error', (error) => onEnd(`the process failed: ${error.message}`));
    },
    end: () => {
      if (child.connected) child.disconnect();
    },
  });
}

/** The guest's end inside a child process (`process.send`). */
export function childGuestTransport(proc: NodeJS.Process): Transport {
  return transportOver({
    post: (message) => {
      proc.send?.(message);
    },
    listen: (listener) => void proc.on('message', (message) => listener(message as ProtocolMessage)),
    watch: (onEnd) => void proc.once('disconnect', () => onEnd('the host closed the channel')),
    end: () => proc.disconnect?.(),
  });
}
