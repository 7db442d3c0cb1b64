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
      });
    } catch (error) {
      await detach();
      throw error;
    }
    return {
      guest: endpoint,
      enforcesCallDeadlines: true,
      tapFunction: () => undefined,
      onExit: (listener) =>
        void exit.then((info) =>
          listener({ code: info.code, signal: null, reason: info.reason, output: [] } satisfies InstanceExit),
        ),
      async dispose() {
        endpoint.close('stopped by the host');
        await detach();
      },
    };
  },
};
