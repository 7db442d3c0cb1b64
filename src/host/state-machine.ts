import { JovianError } from '../errors.js';
import type { PluginState } from '../types.js';

/**
 * The lifecycle of a plugin, covering both the registry model (discovered → resolved / blocked /
 * disabled) and the runtime model (loading → ready ⇄ suspended → stopping → stopped, error).
 * docs/lifecycle.md shows the same table; a test keeps them equal.
 */
export const TRANSITIONS: Readonly<Record<PluginState, readonly PluginState[]>> = {
  discovered: ['resolved', 'blocked', 'disabled', 'error'],
  resolved: ['loading', 'blocked', 'disabled', 'error'],
  blocked: ['resolved', 'disabled', 'error'],
  disabled: ['resolved', 'blocked', 'error'],
  loading: ['ready', 'error'],
  ready: ['stopping', 'suspended', 'error'],
  suspended: ['ready', 'stopping', 'error'],
  stopping: ['stopped', 'error'],
  stopped: ['loading', 'resolved', 'blocked', 'disabled', 'error'],
  error: ['loading', 'resolved', 'blocked', 'disabled'],
};

/** States from which an activation event may load the plugin. */
export const ACTIVATABLE_STATES: ReadonlySet<PluginState> = new Set(['resolved', 'stopped']);

export function canTransition(from: PluginState, to: PluginState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** @throws JOVIAN_E_ILLEGAL_TRANSITION — a bug in the caller, never a plugin's fault. */
export function assertTransition(id: string, from: PluginState, to: PluginState): void {
  if (!canTransition(from, to)) {
    throw new JovianError(
      'JOVIAN_E_ILLEGAL_TRANSITION',
      `plugin \`${id}\` cannot go from \`${from}\` to \`${to}\``,
      {
        hint: `allowed from \`${from}\`: ${TRANSITIONS[from].join(', ') || 'nothing'} (docs/lifecycle.md)`,
      },
    );
  }
}
