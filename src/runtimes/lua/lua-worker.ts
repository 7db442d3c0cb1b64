import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { guestEntry } from '../guest-entry.js';

/** How a plugin's share of the Lua worker ended. */
export interface LuaWorkerExit {
  readonly code: number;
  /** Why the worker was stopped, told from this plugin's point of view. */
  readonly reason: string;
  /** Stopped because of another plugin, not this one. */
  readonly collateral: boolean;
}

interface Member {
  readonly id: string;
  readonly exit: (info: LuaWorkerExit) => void;
}

/**
 * The worker thread where every Lua plugin of this process runs, each in its own Lua state and on its
 * own MessagePort. Lua cannot interrupt a long C call (a pathological pattern match), so the host's
 * watchdog is to terminate the whole worker: the plugin at fault ends with its reason, its neighbours
 * with theirs, and each comes back per its restart policy (their state is kept by the host). The worker
 * starts with the first Lua plugin and ends with the last.
 */
class SharedLuaWorker {
  #worker: Worker | undefined;
  readonly #members = new Set<Member>();
  #stopped: { by: string; reason: string } | undefined;

  /** Gives a plugin its own channel into the worker. `onExit` is called if the worker ends. */
  attach(
    id: string,
    onExit: (info: LuaWorkerExit) => void,
  ): { port: MessagePort; detach: () => Promise<void> } {
    const worker = this.#start();
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ type: 'plugin', id, port: port2 }, [port2]);
    const member: Member = { id, exit: onExit };
    this.#members.add(member);
    return {
      port: port1,
      detach: async () => {
        this.#members.delete(member);
        port1.close();
        if (this.#members.size === 0 && this.#worker === worker) {
          this.#worker = undefined;
          await worker.terminate();
        }
      },
    };
  }

  /** Terminates the worker because plugin `by` is stuck; every plugin in it ends. */
  stop(by: string, reason: string): void {
    if (!this.#worker) return;
    this.#stopped = { by, reason };
    void this.#worker.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(guestEntry('lua'), {
      stdout: false,
      stderr: false,
      env: {},
      name: 'jovian:lua',
    });
    this.#worker = worker;
    this.#stopped = undefined;
    let failure: Error | undefined;
    worker.once('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => {
      if (this.#worker === worker) this.#worker = undefined;
      const stopped = this.#stopped;
      this.#stopped = undefined;
      const members = [...this.#members];
      this.#members.clear();
      for (const member of members) {
        const reason = stopped
          ? member.id === stopped.by
            ? stopped.reason
            : `its Lua worker was stopped because plugin \`${stopped.by}\` ${stopped.reason}`
          : `its Lua worker ended${failure ? `: ${failure.message}` : ` with code ${code}`}`;
        member.exit({ code, reason, collateral: stopped !== undefined && member.id !== stopped.by });
      }
    });
    worker.unref();
    return worker;
  }
}

export const luaWorker = new SharedLuaWorker();
