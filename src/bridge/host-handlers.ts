import type { Handlers, HostCalls } from '../runtimes/index.js';
import type { Disposable } from '../util/index.js';
import type { PluginScope } from './plugin-scope.js';
import { createContributionServices } from './services/contribution-services.js';
import { createDataServices } from './services/data-services.js';
import { createEventServices } from './services/event-services.js';
import { createHookServices } from './services/hook-services.js';
import { createJobServices } from './services/job-services.js';
import { createPluginServices } from './services/plugin-services.js';

/**
 * Everything a plugin's ctx may ask of the host, for one plugin. Each door checks the plugin's
 * manifest (declared hooks, topics, contributions, dependencies, permissions) before acting, and the
 * privileged ones write an audit entry. `registrations` collects what must be undone when it stops.
 */
export function createHostHandlers(
  scope: PluginScope,
  registrations: { add(d: Disposable): void },
): Handlers<HostCalls> {
  return {
    ...createDataServices(scope, registrations),
    ...createHookServices(scope),
    ...createEventServices(scope),
    ...createPluginServices(scope),
    ...createContributionServices(scope),
    ...createJobServices(scope),
    ...onFirstCall(['fs.readFile', 'fs.writeFile', 'fs.readdir', 'fs.stat'], async () =>
      (await import('./services/fs-service.js')).createFsService(scope),
    ),
    ...onFirstCall(['http.fetch'], async () =>
      (await import('./services/http-service.js')).createHttpService(scope),
    ),
    ...onFirstCall(['runner.run'], async () =>
      (await import('./services/runner-service.js')).createRunnerService(scope),
    ),
  };
}

type Service<K extends keyof HostCalls> = Pick<Handlers<HostCalls>, K>;

/**
 * Methods whose service (and its permission checks, DNS, process code) is loaded at the first call:
 * a host that lists plugins, or whose plugins never touch files, the network or commands, never loads it.
 */
function onFirstCall<K extends keyof HostCalls>(
  methods: readonly K[],
  load: () => Promise<Service<K>>,
): Service<K> {
  let service: Promise<Service<K>> | undefined;
  const handlers: Partial<Record<K, unknown>> = {};
  for (const method of methods) {
    handlers[method] = async (...args: unknown[]) => {
      service ??= load();
      return ((await service)[method] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return handlers as Service<K>;
}
