import type { Handlers, HostCalls } from '../../runtimes/index.js';
import type { Disposable } from '../../util/index.js';
import type { PluginScope } from '../plugin-scope.js';

type DataCalls = Pick<
  Handlers<HostCalls>,
  | 'log'
  | 'config.get'
  | 'config.set'
  | 'config.watch'
  | 'state.get'
  | 'state.set'
  | 'state.delete'
  | 'state.keys'
>;

/**
 * Logging, configuration and state: the doors every plugin may use without a permission, because
 * they only reach the plugin's own data. Config writes are audited by the store behind `scope.config`.
 */
export function createDataServices(
  scope: PluginScope,
  registrations: { add(d: Disposable): void },
): DataCalls {
  let watching = false;
  return {
    log: (level, message, data) => scope.log(level, String(message), data),
    'config.get': (key) => scope.config.get(key),
    // Audited by the host's config store, with the change it made (secrets masked).
    'config.set': (key, value) => scope.config.set(key, value),
    'config.watch': () => {
      if (watching) return;
      watching = true;
      registrations.add(
        scope.config.watch((change) => {
          scope
            .guest()
            .call('config.changed', change)
            .catch((error: unknown) =>
              scope.log('error', `config change listener failed: ${(error as Error).message}`),
            );
        }),
      );
    },
    'state.get': (key) => scope.state.get(key),
    'state.set': (key, value) => scope.state.set(key, value),
    'state.delete': (key) => scope.state.delete(key),
    'state.keys': () => scope.state.keys(),
  };
}
