import type { Handlers, HostCalls } from '../../runtimes/index.js';
import type { PluginScope } from '../plugin-scope.js';

/** `ctx.contributions`: handlers for the commands, routes and panels the manifest declares. */
export function createContributionServices(
  scope: PluginScope,
): Pick<Handlers<HostCalls>, 'contributions.register' | 'contributions.unregister'> {
  return {
    'contributions.register': (kind, key, handlerId) =>
      scope.contributions.bind(kind, scope.pluginId, key, handlerId),
    'contributions.unregister': (kind, key, handlerId) =>
      scope.contributions.unbind(kind, scope.pluginId, key, handlerId),
  };
}
