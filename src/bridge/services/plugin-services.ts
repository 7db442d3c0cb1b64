import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls } from '../../runtimes/index.js';
import type { PluginScope } from '../plugin-scope.js';

/**
 * `ctx.plugins`: any plugin may ask whether another is installed; only declared dependencies (or the
 * plugins it extends) may be called, and getting one is audited.
 */
export function createPluginServices(
  scope: PluginScope,
): Pick<Handlers<HostCalls>, 'plugins.has' | 'plugins.describe' | 'plugins.call'> {
  const declaration = (id: string): { optional: boolean } | undefined => {
    const dependency = scope.manifest.dependencies.find((d) => d.id === id);
    if (dependency) return { optional: dependency.optional };
    return scope.manifest.extends.some((e) => e.id === id) ? { optional: false } : undefined;
  };
  const requireDeclared = (id: string): { optional: boolean } => {
    const declared = declaration(id);
    if (declared) return declared;
    scope.audit.record({
      plugin: scope.pluginId,
      action: 'plugins.get',
      target: id,
      decision: 'deny',
      reason: 'not a declared dependency',
    });
    throw new JovianError(
      'JOVIAN_E_PLUGIN_API_UNAVAILABLE',
      `plugin \`${scope.pluginId}\` asked for the API of \`${id}\`, which it does not declare as a dependency`,
      {
        hint: `add \`- id: ${id}\` (with \`optional: true\` if it may be absent) under dependencies in plugin.yaml`,
      },
    );
  };
  return {
    'plugins.has': (id) => scope.directory.has(id),
    'plugins.describe': async (id) => {
      const { optional } = requireDeclared(id);
      const methods = await scope.directory.describe(id, optional);
      scope.audit.record({
        plugin: scope.pluginId,
        action: 'plugins.get',
        target: id,
        decision: 'allow',
        reason: methods === null ? 'optional dependency absent' : 'declared dependency',
      });
      return methods;
    },
    'plugins.call': (id, method, args) => {
      requireDeclared(id);
      return scope.directory.call(id, method, args);
    },
  };
}
