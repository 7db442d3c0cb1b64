import type { Handlers, HostCalls } from '../runtimes/index.js';
import type { Disposable } from '../util/index.js';
import type { PluginScope } from './plugin-scope.js';
import { createContributionServices } from './services/contribution-services.js';
import { createDataServices } from './services/data-services.js';
import { createEventServices } from './services/event-services.js';
import { createFsService } from './services/fs-service.js';
import { createHookServices } from './services/hook-services.js';
import { createHttpService } from './services/http-service.js';
import { createPluginServices } from './services/plugin-services.js';
import { createRunnerService } from './services/runner-service.js';

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
    ...createFsService(scope),
    ...createHttpService(scope),
    ...createRunnerService(scope),
  };
}
