import { diagnostic } from '../errors.js';
import type { ActivationEvent, Contributions, Diagnostic, PluginType } from '../types.js';
import { ACTIVATION_EVENT_KINDS } from '../types.js';
import { closestMatch } from '../util/index.js';

const EVENT_RE = /^(onStartup|on(?:Hook|Command|Route|Event|Panel|Job):(.+))$/;

/** Checks one activation event; returns a diagnostic (without location) when it is not valid. */
export function checkActivationEvent(event: string): Omit<Diagnostic, 'where'> | undefined {
  if (EVENT_RE.test(event)) return undefined;
  const kind = event.split(':')[0] ?? event;
  const suggestion = closestMatch(kind, ACTIVATION_EVENT_KINDS);
  const fixed = suggestion
    ? suggestion === 'onStartup'
      ? 'onStartup'
      : `${suggestion}:${event.split(':').slice(1).join(':') || '<name>'}`
    : undefined;
  return diagnostic(
    'JOVIAN_E_MANIFEST_BAD_ACTIVATION',
    `unknown activation event \`${event}\`${fixed ? `; did you mean \`${fixed}\`?` : ''}`,
  );
}

/**
 * The activation events implied by what a plugin contributes, as VS Code derives them: a tapped hook
 * gives `onHook:<hook>`, a command `onCommand:<name>`, a route `onRoute:<path>`, a subscription
 * `onEvent:<pattern>`, a panel `onPanel:<id>`, a job handler `onJob:<name>`. System plugins always start: `onStartup`.
 */
export function deriveActivation(type: PluginType, contributes: Contributions): ActivationEvent[] {
  if (type === 'system') return ['onStartup'];
  const events = new Set<ActivationEvent>();
  for (const tap of contributes.hooks) events.add(`onHook:${tap.name}`);
  for (const command of contributes.commands) events.add(`onCommand:${command.name}`);
  for (const route of contributes.routes) events.add(`onRoute:${route.path}`);
  for (const pattern of contributes.events.subscribe) events.add(`onEvent:${pattern}`);
  for (const panel of contributes.ui.panels) events.add(`onPanel:${panel.id}`);
  for (const handler of contributes.jobs.handlers) events.add(`onJob:${handler.name}`);
  return [...events];
}

/**
 * Activation events that can never fire because they name something the plugin does not contribute
 * (`onCommand:x` without command `x`). They are warnings: the host API can still fire them.
 */
export function unreachableActivations(
  activation: readonly ActivationEvent[],
  contributes: Contributions,
): number[] {
  const declared = new Set(deriveActivation('tool', contributes));
  const unreachable: number[] = [];
  activation.forEach((event, index) => {
    if (event === 'onStartup' || event.startsWith('onEvent:')) return;
    if (!declared.has(event)) unreachable.push(index);
  });
  return unreachable;
}
