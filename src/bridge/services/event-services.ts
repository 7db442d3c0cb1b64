import { JovianError } from '../../errors.js';
import { matches } from '../../events/index.js';
import type { Handlers, HostCalls } from '../../runtimes/index.js';
import type { PluginScope } from '../plugin-scope.js';

/**
 * `ctx.events`: a plugin may emit only topics its manifest declares (a declared pattern such as
 * `weather.*` covers `weather.updated`), and subscribe only to declared patterns or to topics they cover.
 */
export function createEventServices(
  scope: PluginScope,
): Pick<Handlers<HostCalls>, 'events.emit' | 'events.subscribe' | 'events.unsubscribe'> {
  const declared = scope.manifest.contributes.events;
  return {
    'events.emit': (topic, payload) => {
      if (!covers(declared.emit, topic)) {
        throw new JovianError(
          'JOVIAN_E_EVENT_UNDECLARED',
          `plugin \`${scope.pluginId}\` emitted \`${topic}\`, which its manifest does not declare`,
          {
            hint: `add \`${topic}\` to contributes.events.emit in plugin.yaml`,
          },
        );
      }
      scope.emit(topic, payload);
    },
    'events.subscribe': (pattern, subscriptionId) => {
      if (!covers(declared.subscribe, pattern)) {
        throw new JovianError(
          'JOVIAN_E_EVENT_UNDECLARED',
          `plugin \`${scope.pluginId}\` subscribed to \`${pattern}\`, which its manifest does not declare`,
          {
            hint: `add \`${pattern}\` to contributes.events.subscribe in plugin.yaml`,
          },
        );
      }
      scope.eventSlots.subscribe(pattern, subscriptionId);
    },
    'events.unsubscribe': (subscriptionId) => scope.eventSlots.unsubscribe(subscriptionId),
  };
}

/** True when `wanted` is declared as is, or is a plain topic that a declared pattern matches. */
function covers(declared: readonly string[], wanted: string): boolean {
  if (declared.includes(wanted)) return true;
  if (wanted.includes('*')) return false;
  return declared.some((pattern) => matches(pattern, wanted));
}
