/**
 * The guest side of one Lua plugin: it talks the plugin protocol on its own port, loads the plugin's
 * source into a hardened Lua state, taps the hooks whose functions the source defines, and answers the
 * host's calls by calling those functions with plain data.
 */
import { readFile } from 'node:fs/promises';
import type { LuaFactory } from 'wasmoon';
import { errorToData, formatError, JovianError } from '../../../errors.js';
import { type GuestCalls, type Handlers, type HostCalls, TRACED_CALLS } from '../../rpc/channel.js';
import { sayHello } from '../../rpc/handshake.js';
import { RpcEndpoint } from '../../rpc/rpc-endpoint.js';
import type { Transport } from '../../rpc/transport.js';
import { createLuaSandbox } from './lua-sandbox.js';
import type { LuaHostApi, LuaSandbox } from './sandbox-types.js';

/** Memory of one plugin's Lua state when its manifest sets no `limits.memory_mb`. */
const DEFAULT_MEMORY_MB = 16;
/** Lua VM instructions one call may run: far more than any hook needs, far less than a runaway loop. */
const INSTRUCTION_LIMIT = 10_000_000;

type Host = RpcEndpoint<GuestCalls, HostCalls>;

export async function runLuaGuest(transport: Transport, factory: LuaFactory): Promise<void> {
  const host: Host = new RpcEndpoint<GuestCalls, HostCalls>(transport, {
    label: 'the host',
    tagCause: TRACED_CALLS,
  });
  let setReady: (ready: Promise<LuaSandbox>) => void = () => undefined;
  const ready = new Promise<LuaSandbox>((resolve) => {
    setReady = resolve;
  });
  // A plugin that fails to load fails the host's next call (`activate`). Until then its failure must not
  // be an unhandled rejection, which would end the shared worker and every Lua plugin in it.
  ready.catch(() => undefined);
  const local = new LocalData(host);
  const taps = new Map<number, string>();
  host.serve(guestHandlers(ready, local, taps, host));
  const welcome = await sayHello(host as never, ['cancel', 'structured-clone'], 'lua 5.4 (wasmoon)');
  const { id, entry, source: sent, hooks = [], memory_mb } = welcome.plugin;
  const sandbox = (async () => {
    if (!entry) throw new JovianError('JOVIAN_E_PROTOCOL_ERROR', 'the host sent no Lua file to load');
    const source = sent ?? (await readFile(entry, 'utf8'));
    const lua = await createLuaSandbox(factory, {
      id,
      memoryBytes: (memory_mb ?? DEFAULT_MEMORY_MB) * 1024 * 1024,
      instructionLimit: INSTRUCTION_LIMIT,
      api: local.api(),
    });
    try {
      await lua.load(source, entry);
    } catch (error) {
      lua.close();
      throw new JovianError('JOVIAN_E_ACTIVATION_FAILED', `plugin \`${id}\`: ${(error as Error).message}`, {
        cause: error,
      });
    }
    hooks.forEach((name, index) => {
      if (lua.hasFunction(name)) taps.set(index + 1, name);
    });
    host.onClose(() => lua.close());
    return lua;
  })();
  sandbox.catch(() => undefined);
  setReady(sandbox);
}

function guestHandlers(
  ready: Promise<LuaSandbox>,
  local: LocalData,
  taps: Map<number, string>,
  host: Host,
): Partial<Handlers<GuestCalls>> {
  return {
    activate: async () => {
      await ready;
      await local.load();
      for (const [tapId, name] of taps) await host.call('hooks.tap', name, tapId);
    },
    deactivate: async () => undefined,
    'tap.invoke': async (tapId, args) => {
      const lua = await ready;
      const name = taps.get(tapId);
      return name === undefined ? undefined : lua.call(name, args);
    },
    'event.deliver': async (subscriptionId, event) => {
      await (await ready).deliver(subscriptionId, event.payload);
    },
    run: async (input) => {
      const lua = await ready;
      if (!lua.hasFunction('run'))
        throw new JovianError('JOVIAN_E_RUN_NOT_SUPPORTED', 'this Lua plugin defines no function run(input)');
      return lua.call('run', [input]);
    },
    'config.changed': async () => {
      await local.reloadConfig();
    },
    health: async () => null,
    metrics: async () => null,
    'api.describe': async () => [],
    'migrations.list': async () => [],
  };
}

/**
 * The plugin's config and state as Lua reads them: synchronously, from copies taken at activation.
 * Writes update the copy at once and go to the host (which validates and persists them); a refused
 * write is logged, and a refused config value leaves the copy when the host's config is read again.
 */
class LocalData {
  readonly #host: Host;
  #config: Record<string, unknown> = {};
  readonly #state = new Map<string, unknown>();

  constructor(host: Host) {
    this.#host = host;
  }

  async load(): Promise<void> {
    await this.reloadConfig();
    await this.#host.call('config.watch');
    for (const key of await this.#host.call('state.keys'))
      this.#state.set(key, await this.#host.call('state.get', key));
  }

  async reloadConfig(): Promise<void> {
    this.#config = ((await this.#host.call('config.get')) ?? {}) as Record<string, unknown>;
  }

  api(): LuaHostApi {
    const host = this.#host;
    // A write Lua does not wait for is refused into the plugin's log, with its code and hint.
    const report = (what: string) => (error: unknown) =>
      void host
        .call('log', 'warn', `${what} failed: ${formatError(errorToData(error))}`)
        .catch(() => undefined);
    return {
      log: (level, message) => void host.call('log', level, message).catch(() => undefined),
      configGet: (key) => (key === undefined ? { ...this.#config } : this.#config[key]),
      configSet: (key, value) => {
        this.#config[key] = value;
        host.call('config.set', key, value).catch((error: unknown) => {
          report(`config.set("${key}")`)(error);
          // The host kept its config (the value was invalid): the copy Lua reads goes back to it.
          this.reloadConfig().catch(() => undefined);
        });
      },
      stateGet: (key) => this.#state.get(key),
      stateSet: (key, value) => {
        this.#state.set(key, value);
        host.call('state.set', key, value).catch(report(`state.set("${key}")`));
      },
      emit: (topic, data) =>
        void host.call('events.emit', topic, data).catch(report(`events.emit("${topic}")`)),
      subscribe: (topic, subscriptionId) =>
        void host.call('events.subscribe', topic, subscriptionId).catch(report(`events.on("${topic}")`)),
      http: async (method, url, body) => {
        const response = await host.call('http.fetch', url, {
          method,
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
        return { status: response.status, body: new TextDecoder().decode(response.body) };
      },
    };
  }
}
