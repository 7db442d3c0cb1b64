import { Worker } from 'node:worker_threads';
import { JovianError } from '../../errors.js';
import { openGuestChannel, welcomeGuest } from '../guest-channel.js';
import { guestEntry } from '../guest-entry.js';
import { attachOutput } from '../output.js';
import { workerHostTransport } from '../rpc/node-transports.js';
import type { InstanceExit, PluginInstance, Runtime, RuntimeLaunch } from '../runtime.js';

/**
 * Runs a plugin in a worker thread: its own event loop and heap, `resourceLimits` from
 * `limits.memory_mb`, and a watchdog — a call that misses its deadline, or a hung activation, gets the
 * worker terminated (a busy loop included). Contains crashes, loops and memory blow-ups; it is not a
 * security boundary (a worker can still reach the whole process).
 */
export const workerRuntime: Runtime = {
  kind: 'worker',
  async load(launch: RuntimeLaunch): Promise<PluginInstance> {
    const label = `plugin \`${launch.manifest.id}\``;
    const memory = launch.manifest.limits.memory_mb;
    const worker = new Worker(guestEntry('worker'), {
      stdout: true,
      stderr: true,
      resourceLimits: memory
        ? { maxOldGenerationSizeMb: memory, maxYoungGenerationSizeMb: Math.max(4, Math.ceil(memory / 8)) }
        : undefined,
      env: {},
      name: `jovian:${launch.manifest.id}`,
    });
    const exit = watchExit(worker);
    const output = attachOutput(worker.stdout, worker.stderr, launch.output);
    let stopped: string | undefined;
    const endpoint = openGuestChannel(workerHostTransport(worker), launch, label, (reason) => {
      stopped ??= reason;
      void worker.terminate();
    });
    try {
      await welcomeGuest(endpoint, launch, label, {
        capabilities: ['cancel', 'structured-clone'],
        entry: launch.entry,
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return {
      guest: endpoint,
      enforcesCallDeadlines: true,
      tapFunction: () => undefined,
      onExit: (listener) =>
        exit.then((info) => listener({ ...info, reason: stopped ?? info.reason, output: output.tail() })),
      async dispose() {
        endpoint.close('stopped by the host');
        await worker.terminate();
      },
    };
  },
};

function watchExit(worker: Worker): Promise<Omit<InstanceExit, 'output'>> {
  return new Promise((resolve) => {
    let failure: Error | undefined;
    worker.once('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => {
      const outOfMemory =
        failure &&
        /memory|ERR_WORKER_OUT_OF_MEMORY/i.test(
          `${(failure as NodeJS.ErrnoException).code} ${failure.message}`,
        );
      resolve({
        code,
        signal: null,
        reason: outOfMemory
          ? 'out of memory (limits.memory_mb)'
          : failure
            ? `crashed: ${failure.message}`
            : `exited with code ${code}`,
        error: failure
          ? new JovianError('JOVIAN_E_PLUGIN_CRASHED', failure.message, { cause: failure })
          : undefined,
      });
    });
  });
}
