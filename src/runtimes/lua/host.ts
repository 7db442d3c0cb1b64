import { readFile } from 'node:fs/promises';
import { JovianError } from '../../errors.js';
import { openGuestChannel, welcomeGuest } from '../guest-channel.js';
import { portTransport } from '../rpc/node-transports.js';
import type { InstanceExit, PluginInstance, Runtime, RuntimeLaunch } from '../runtime.js';
import { type LuaWorkerExit, luaWorker } from './lua-worker.js';

/**
 * Runs a Lua 5.4 plugin in a hardened Lua state (wasmoon) inside the shared Lua worker: only the safe
 * standard libraries, a memory cap, an instruction limit per call, and — for a C call Lua cannot
 * interrupt — the worker terminated when a call misses its deadline. The plugin talks the same protocol
 * as every isolated plugin, over a MessagePort of its own.
 */
export const luaRuntime: Runtime = {
  kind: 'lua',
  async load(launch: RuntimeLaunch): Promise<PluginInstance> {
    const id = launch.manifest.id;
    const label = `plugin \`${id}\``;
    const source = launch.source ?? (await readSource(launch.entry, label));
    let ended: ((exit: LuaWorkerExit) => void) | undefined;
    const exit = new Promise<LuaWorkerExit>((resolve) => {
      ended = resolve;
    });
    const { port, detach } = luaWorker.attach(id, (info) => ended?.(info));
    const endpoint = openGuestChannel(portTransport(port), launch, label, (reason) =>
      luaWorker.stop(id, reason),
    );
    try {
      await welcomeGuest(endpoint, launch, label, {
        capabilities: ['cancel', 'structured-clone'],
        entry: launch.entry,
        manifestFacts: true,
        source,
      });
    } catch (error) {
      await detach();
      throw error;
    }
    return {
      guest: endpoint,
      source,
      enforcesCallDeadlines: true,
      tapFunction: () => undefined,
      onExit: (listener) =>
        void exit.then((info) =>
          listener({
            code: info.code,
            signal: null,
            reason: info.reason,
            output: [],
            collateral: info.collateral,
          } satisfies InstanceExit),
        ),
      async dispose() {
        endpoint.close('stopped by the host');
        await detach();
      },
    };
  },
};

async function readSource(entry: string, label: string): Promise<string> {
  try {
    return await readFile(entry, 'utf8');
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_ENTRY_INVALID',
      `${label}: cannot read ${entry}: ${(error as Error).message}`,
      {
        hint: 'check `main` in plugin.yaml, or that the .lua file is still there',
      },
    );
  }
}
