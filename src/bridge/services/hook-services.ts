import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls } from '../../runtimes/index.js';
import type { PluginScope } from '../plugin-scope.js';

/** `ctx.hooks.tap`: only hooks declared in contributes.hooks; the host's slot does the rest. */
export function createHookServices(
  scope: PluginScope,
): Pick<Handlers<HostCalls>, 'hooks.tap' | 'hooks.untap'> {
  return {
    'hooks.tap': (hook, tapId) => {
      if (!scope.manifest.contributes.hooks.some((tap) => tap.name === hook)) {
        throw new JovianError(
          'JOVIAN_E_HOOK_UNDECLARED',
          `plugin \`${scope.pluginId}\` tapped hook \`${hook}\`, which its manifest does not declare`,
          {
            hint: `add \`${hook}\` to contributes.hooks in plugin.yaml`,
          },
        );
      }
      scope.hookSlots.bind(hook, tapId);
    },
    'hooks.untap': (hook, tapId) => scope.hookSlots.unbind(hook, tapId),
  };
}
