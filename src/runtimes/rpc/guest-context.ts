/**
 * The guest half of the plugin boundary: builds the `ctx` a plugin receives from a port to the host,
 * keeps the plugin's callbacks (taps, listeners, handlers) on the plugin's side under numeric ids, and
 * answers the host's calls. It imports nothing outside the protocol, so every runtime (in-process,
 * worker, child process) uses this same code.
 */
import { JovianError } from '../../errors.js';
import type { GuestCalls, Handlers, HostCalls, Port } from './channel.js';
import { createGuestJobs } from './guest-jobs.js';
import type {
  BusEventData,
  ConfigChange,
  PluginContext,
  PluginDefinition,
  PluginPaths,
  Proxied,
  Registration,
} from './plugin-api.js';

type Fn = (...args: never[]) => unknown;
type AnyFn = (...args: unknown[]) => unknown;

export interface GuestSide {
  readonly ctx: PluginContext;
  /** Answers the host's calls. */
  readonly handlers: Handlers<GuestCalls>;
  /** The plugin's tap function for `tapId`, for runtimes that can call it directly (in-process). */
  tapFunction(tapId: number): AnyFn | undefined;
}

export interface GuestIdentity {
  readonly id: string;
  readonly version: string;
  readonly paths: PluginPaths;
}

export function createGuestSide(
  definition: PluginDefinition,
  identity: GuestIdentity,
  host: Port<HostCalls>,
): GuestSide {
  let nextId = 1;
  const taps = new Map<number, AnyFn>();
  const subscriptions = new Map<number, (event: BusEventData) => unknown>();
  const contributionHandlers = new Map<number, AnyFn>();
  const configListeners = new Set<(change: ConfigChange) => unknown>();
  let watchingConfig = false;

  const registration = (release: () => Promise<unknown>): Registration => {
    let released: Promise<void> | undefined;
    return {
      dispose() {
        released ??= release().then(() => undefined);
        return released;
      },
    };
  };

  const jobs = createGuestJobs(identity.id, host, registration);

  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, data?: unknown) =>
    host.call('log', level, message, data);

  const ctx: PluginContext = Object.freeze({
    id: identity.id,
    version: identity.version,
    paths: Object.freeze({ ...identity.paths }),
    logger: Object.freeze({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }),
    config: Object.freeze({
      get: ((key?: string) => host.call('config.get', key)) as PluginContext['config']['get'],
      set: (key: string, value: unknown) => host.call('config.set', key, value),
      async onDidChange(listener: (change: ConfigChange) => unknown) {
        configListeners.add(listener);
        if (!watchingConfig) {
          watchingConfig = true;
          await host.call('config.watch');
        }
        return registration(async () => configListeners.delete(listener));
      },
    }),
    state: Object.freeze({
      get: <T>(key: string) => host.call('state.get', key) as Promise<T | undefined>,
      set: (key: string, value: unknown) => host.call('state.set', key, value),
      delete: (key: string) => host.call('state.delete', key),
      keys: () => host.call('state.keys'),
    }),
    hooks: Object.freeze({
      async tap(hook: string, fn: Fn) {
        const id = nextId++;
        taps.set(id, fn as AnyFn);
        try {
          await host.call('hooks.tap', hook, id);
        } catch (error) {
          taps.delete(id);
          throw error;
        }
        return registration(async () => {
          taps.delete(id);
          await host.call('hooks.untap', hook, id);
        });
      },
    }),
    events: Object.freeze({
      emit: (topic: string, payload?: unknown) => host.call('events.emit', topic, payload),
      async on(pattern: string, handler: (event: BusEventData) => unknown) {
        const id = nextId++;
        subscriptions.set(id, handler);
        try {
          await host.call('events.subscribe', pattern, id);
        } catch (error) {
          subscriptions.delete(id);
          throw error;
        }
        return registration(async () => {
          subscriptions.delete(id);
          await host.call('events.unsubscribe', id);
        });
      },
    }),
    plugins: Object.freeze({
      has: (id: string) => host.call('plugins.has', id),
      async get<T extends object>(id: string): Promise<Proxied<T> | undefined> {
        const methods = await host.call('plugins.describe', id);
        if (methods === null) return undefined;
        const proxy: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
        for (const method of methods)
          proxy[method] = (...args: unknown[]) => host.call('plugins.call', id, method, args);
        return Object.freeze(proxy) as unknown as Proxied<T>;
      },
    }),
    contributions: Object.freeze({
      registerCommand: (name: string, handler: Fn) => register('command', name, handler),
      registerRoute: (method: string, path: string, handler: Fn) =>
        register('route', `${method.toUpperCase()} ${path}`, handler),
      registerPanel: (id: string, provider: Fn) => register('panel', id, provider),
    }),
    fs: Object.freeze({
      readFile: (path: string) => host.call('fs.readFile', path),
      readText: async (path: string) => new TextDecoder().decode(await host.call('fs.readFile', path)),
      writeFile: (path: string, data: string | Uint8Array) => host.call('fs.writeFile', path, data),
      readdir: (path: string) => host.call('fs.readdir', path),
      stat: (path: string) => host.call('fs.stat', path),
    }),
    http: Object.freeze({ fetch: (url: string, request = {}) => host.call('http.fetch', url, request) }),
    runner: Object.freeze({
      run: (command: string, args: readonly string[] = [], options = {}) =>
        host.call('runner.run', command, args, options),
    }),
    jobs: jobs.api,
  }) as PluginContext;

  async function register(
    kind: 'command' | 'route' | 'panel',
    key: string,
    handler: Fn,
  ): Promise<Registration> {
    const id = nextId++;
    contributionHandlers.set(id, handler as AnyFn);
    try {
      await host.call('contributions.register', kind, key, id);
    } catch (error) {
      contributionHandlers.delete(id);
      throw error;
    }
    return registration(async () => {
      contributionHandlers.delete(id);
      await host.call('contributions.unregister', kind, key, id);
    });
  }

  const api = (definition.api ?? {}) as Record<string, unknown>;
  const handlers: Handlers<GuestCalls> = {
    activate: async () => {
      await definition.activate?.(ctx);
    },
    deactivate: async () => {
      await definition.deactivate?.();
    },
    health: async () => (definition.health ? await definition.health() : null),
    metrics: async () => (definition.metrics ? await definition.metrics() : null),
    run: async (input) => {
      if (!definition.run)
        throw new JovianError(
          'JOVIAN_E_RUN_NOT_SUPPORTED',
          `plugin \`${identity.id}\` does not implement run()`,
        );
      return definition.run(input, ctx);
    },
    'api.describe': () => Object.keys(api).filter((key) => typeof api[key] === 'function'),
    'api.call': async (method, args) => {
      const fn = Object.hasOwn(api, method) ? api[method] : undefined;
      if (typeof fn !== 'function') {
        throw new JovianError(
          'JOVIAN_E_PLUGIN_API_UNAVAILABLE',
          `plugin \`${identity.id}\` has no API method \`${method}\``,
        );
      }
      return (fn as AnyFn).apply(api, args);
    },
    'tap.invoke': (tapId, args) => {
      const fn = taps.get(tapId);
      return fn === undefined ? undefined : fn(...args);
    },
    'event.deliver': async (subscriptionId, event) => {
      await subscriptions.get(subscriptionId)?.(event);
    },
    'config.changed': async (change) => {
      for (const listener of configListeners) {
        try {
          await listener(change);
        } catch (error) {
          await host
            .call('log', 'error', `config change listener failed: ${(error as Error).message}`)
            .catch(() => undefined);
        }
      }
    },
    'contribution.invoke': async (handlerId, input) => {
      const handler = contributionHandlers.get(handlerId);
      if (handler === undefined)
        throw new JovianError(
          'JOVIAN_E_CONTRIBUTION_NOT_REGISTERED',
          `handler ${handlerId} of plugin \`${identity.id}\` was removed`,
        );
      return handler(input);
    },
    'migrations.list': () =>
      Object.keys(definition.migrations ?? {})
        .map(Number)
        .filter(Number.isInteger),
    'migrations.run': async (version, previous) => {
      const migration = definition.migrations?.[version];
      if (!migration)
        throw new JovianError(
          'JOVIAN_E_CONFIG_MIGRATION_MISSING',
          `plugin \`${identity.id}\` has no migration to version ${version}`,
        );
      return migration(previous);
    },
    ...jobs.handlers,
  };

  return { ctx, handlers, tapFunction: (tapId) => taps.get(tapId) };
}
