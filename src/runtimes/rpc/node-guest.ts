/**
 * The guest side of Node runtimes (worker and child process): talks the protocol over a transport,
 * loads the plugin's module, and serves the host's calls with the same guest-side ctx the in-process
 * runtime uses — so a plugin behaves the same in all of them. Imports only the protocol, types and
 * errors (it runs inside the isolate).
 */
import { pathToFileURL } from 'node:url';
import { JovianError } from '../../errors.js';
import { type GuestCalls, type Handlers, type HostCalls, TRACED_CALLS } from './channel.js';
import { definitionOf } from './definition.js';
import { createGuestSide, type GuestSide } from './guest-context.js';
import { sayHello } from './handshake.js';
import { RpcEndpoint } from './rpc-endpoint.js';
import type { Transport } from './transport.js';

const GUEST_METHODS: readonly (keyof GuestCalls)[] = [
  'activate',
  'deactivate',
  'health',
  'metrics',
  'run',
  'api.describe',
  'api.call',
  'tap.invoke',
  'event.deliver',
  'config.changed',
  'contribution.invoke',
  'migrations.list',
  'migrations.run',
  'job.start',
  'job.cancel',
];

/**
 * Runs a Node guest until the channel closes. Calls are served at once; each waits for the plugin's
 * module, so a module that fails to load makes every call (the first being activation) fail with the
 * reason, which the host reports.
 */
export async function runNodeGuest(
  transport: Transport,
  runtime: string,
): Promise<RpcEndpoint<GuestCalls, HostCalls>> {
  const endpoint = new RpcEndpoint<GuestCalls, HostCalls>(transport, {
    label: 'the host',
    tagCause: TRACED_CALLS,
  });
  // The host may send its first call before the guest has read the welcome (both race on the wire):
  // calls wait for the module, which is loaded once the welcome has arrived.
  let setLoaded: (module: Promise<GuestSide>) => void = () => undefined;
  const loaded = new Promise<GuestSide>((resolve) => {
    setLoaded = resolve;
  });
  // A module that fails to load fails the host's next call (`activate`, with the error). Until that
  // call comes, the failure must not count as an unhandled rejection, which would end the process
  // first and leave the host with an exit code instead of the error.
  loaded.catch(() => undefined);
  const handlers: Partial<Handlers<GuestCalls>> = {};
  for (const method of GUEST_METHODS) {
    (handlers as Record<string, (...args: unknown[]) => unknown>)[method] = async (...args: unknown[]) => {
      const guest = await loaded;
      return (guest.handlers[method] as (...a: unknown[]) => unknown)(...args);
    };
  }
  endpoint.serve(handlers);
  const welcome = await sayHello(endpoint as never, ['cancel', 'structured-clone'], runtime);
  const module = (async () => {
    const entry = welcome.plugin.entry;
    if (!entry) throw new JovianError('JOVIAN_E_PROTOCOL_ERROR', 'the host sent no entry module to load');
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    } catch (error) {
      const code =
        (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
        String((error as Error).message).includes(entry)
          ? 'JOVIAN_E_MANIFEST_MAIN_MISSING'
          : 'JOVIAN_E_ACTIVATION_FAILED';
      throw new JovianError(
        code,
        `plugin \`${welcome.plugin.id}\`: loading ${entry} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const definition = definitionOf(module);
    if (!definition)
      throw new JovianError(
        'JOVIAN_E_ENTRY_INVALID',
        `${entry} of plugin \`${welcome.plugin.id}\` does not export a plugin definition`,
      );
    return createGuestSide(
      definition,
      { id: welcome.plugin.id, version: welcome.plugin.version, paths: welcome.plugin.paths },
      endpoint,
    );
  })();
  // Once loaded, the plugin's handlers answer directly (no wait on each call).
  module.then((guest) => endpoint.serve(guest.handlers)).catch(() => undefined);
  setLoaded(module);
  return endpoint;
}
