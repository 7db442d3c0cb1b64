import type { ChildProcess } from 'node:child_process';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { ProtocolMessage } from './protocol.js';
import type { Transport } from './transport.js';

/** What both ends of a Node channel look like: a way to post and a way to receive. */
interface Channel {
  post(message: ProtocolMessage): void;
  listen(listener: (message: ProtocolMessage) => void): void;
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
  return {
    send(message) {
      if (closed) return;
      try {
        channel.post(message);
      } catch (error) {
        shut(`sending failed: ${(error as Error).message}`);
      }
    },
    onMessage: (listener) => channel.listen(listener),
    onClose: (listener) => void closeListeners.push(listener),
    close(reason = 'closed') {
      shut(reason);
      channel.end();
    },
  };
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
  return transportOver({
    post: (message) => port.postMessage(message),
    listen: (listener) => void port.on('message', listener),
    watch: (onEnd) => void port.once('close', () => onEnd('the host closed the channel')),
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
