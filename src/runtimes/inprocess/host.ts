import { pathToFileURL } from 'node:url';
import { JovianError } from '../../errors.js';
import { cloneAcrossBoundary } from '../rpc/clone.js';
import { definitionOf } from '../rpc/definition.js';
import { createGuestSide } from '../rpc/guest-context.js';
import { createLocalPort } from '../rpc/local-port.js';
import type { PluginDefinition } from '../rpc/plugin-api.js';
import type { PluginInstance, Runtime, RuntimeLaunch } from '../runtime.js';
import { versionedUrl } from './reload-imports.js';

/**
 * Runs plugins in the host's own process and event loop: the fastest runtime and the only one that
 * can tap synchronous hooks — and not a security boundary. Taps are called directly (no message, no
 * copy) unless the launch asks for strict cloning.
 */
export const inProcessRuntime: Runtime = {
  kind: 'inprocess',
  async load(launch: RuntimeLaunch): Promise<PluginInstance> {
    const definition = launch.definition ?? (await importDefinition(launch));
    const label = `plugin \`${launch.manifest.id}\``;
    const hostPort = createLocalPort(launch.host, { clone: launch.clone, label: 'ctx call' });
    const guest = createGuestSide(
      definition,
      { id: launch.manifest.id, version: launch.manifest.version, paths: launch.paths },
      hostPort,
    );
    const guestPort = createLocalPort(guest.handlers, { clone: launch.clone, label });
    return {
      guest: guestPort,
      tapFunction(tapId) {
        const fn = guest.tapFunction(tapId);
        if (fn === undefined || !launch.clone) return fn;
        return (...args: unknown[]) => {
          const result = fn(...cloneAcrossBoundary(args, `the arguments of a hook tap of ${label}`));
          return result instanceof Promise
            ? result.then((value) => cloneAcrossBoundary(value, `the result of a hook tap of ${label}`))
            : cloneAcrossBoundary(result, `the result of a hook tap of ${label}`);
        };
      },
      onExit() {
        // An in-process plugin cannot exit on its own: it lives and dies with the host.
      },
      async dispose() {
        // ES modules cannot be unloaded; dropping every reference lets the garbage collector take
        // what the plugin allocated. Hot reload loads a fresh copy through `cacheBust`, its own
        // modules included (reload-imports.ts).
      },
    };
  },
};

async function importDefinition(launch: RuntimeLaunch): Promise<PluginDefinition> {
  const url = versionedUrl(pathToFileURL(launch.entry).href, launch.cacheBust || undefined);
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(launch.entry)) {
      throw new JovianError(
        'JOVIAN_E_MANIFEST_MAIN_MISSING',
        `entry file ${launch.entry} of plugin \`${launch.manifest.id}\` does not exist`,
        {
          where: { file: launch.entry, line: 1, column: 1 },
        },
      );
    }
    throw new JovianError(
      'JOVIAN_E_ACTIVATION_FAILED',
      `plugin \`${launch.manifest.id}\`: loading ${launch.entry} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const definition = definitionOf(module);
  if (!definition) {
    throw new JovianError(
      'JOVIAN_E_ENTRY_INVALID',
      `${launch.entry} of plugin \`${launch.manifest.id}\` does not export a plugin definition`,
      {
        where: { file: launch.entry, line: 1, column: 1 },
      },
    );
  }
  return definition;
}
