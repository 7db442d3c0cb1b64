import { diagnostic } from '../errors.js';
import type { Diagnostic, RuntimeKind } from '../types.js';

/** How far a plugin is trusted: core plugins are `official`; others get their signer's level, or `unsigned`. */
export type TrustLevel = 'official' | 'verified' | 'community' | 'unsigned';
export const TRUST_LEVELS: readonly TrustLevel[] = ['official', 'verified', 'community', 'unsigned'];

/** The runtimes a floor may name, from the least isolated to the most. */
export type IsolationFloor = 'inprocess' | 'worker' | 'process';
export const ISOLATION_FLOORS: readonly IsolationFloor[] = ['inprocess', 'worker', 'process'];

/** The least isolation per trust level, and the plugins the operator lets run below it. */
export interface IsolationPolicy {
  readonly floor: Readonly<Record<TrustLevel, IsolationFloor>>;
  /** Plugin ids (or legacy plugin folder names) that run where their manifest says, whatever the floor. */
  readonly allow: readonly string[];
}

/**
 * The documented default: signed code from trusted publishers may run in-process; community code runs
 * at least in a worker; unsigned code in its own process, under Node's permission model.
 */
export const DEFAULT_ISOLATION_POLICY: IsolationPolicy = Object.freeze({
  floor: Object.freeze({
    official: 'inprocess',
    verified: 'inprocess',
    community: 'worker',
    unsigned: 'process',
  }),
  allow: Object.freeze([]),
}) as IsolationPolicy;

/** Isolation rank: a runtime satisfies a floor when its rank is at least the floor's. */
const RANK: Readonly<Record<RuntimeKind, number>> = {
  inprocess: 0,
  worker: 1,
  process: 2,
  lua: 3,
  webhook: 3,
};

export interface PluginToPlace {
  readonly id: string;
  readonly declared: RuntimeKind;
  readonly trust: TrustLevel;
  /** Legacy plugins run inside the host by construction: they cannot be moved. */
  readonly legacy: boolean;
  /** Hooks it taps that are synchronous (they cannot be reached across a boundary). */
  readonly syncHooks: readonly string[];
}

/** Where a plugin runs: its declared runtime, raised to the floor, or refused. */
export type Placement = { readonly runtime: RuntimeKind } | { readonly refused: Diagnostic };

/**
 * Applies the policy to one plugin. A plugin below its floor is moved up to the floor when its code can
 * run there; one that cannot (legacy plugins, taps of synchronous hooks) is refused, with the override
 * that would let it run.
 */
export function placePlugin(plugin: PluginToPlace, policy: IsolationPolicy): Placement {
  const floor = policy.floor[plugin.trust];
  if (RANK[plugin.declared] >= RANK[floor] || policy.allow.includes(plugin.id))
    return { runtime: plugin.declared };
  const override = `to let it run ${plugin.declared === 'inprocess' ? 'in-process' : `in a ${plugin.declared}`} anyway, add \`${plugin.id}\` to security.isolation.allow in jovian.yaml (docs/permissions.md)`;
  const why = `${plugin.trust} plugins run at least in a \`${floor}\` (security.isolation.${plugin.trust})`;
  const cannot = plugin.legacy
    ? 'a legacy plugin runs inside the host'
    : plugin.syncHooks.length > 0
      ? `it taps the synchronous hook${plugin.syncHooks.length > 1 ? 's' : ''} ${plugin.syncHooks.map((h) => `\`${h}\``).join(', ')}`
      : undefined;
  if (cannot) {
    return {
      refused: diagnostic(
        'JOVIAN_E_ISOLATION_REFUSED',
        `plugin \`${plugin.id}\` cannot run: ${why}, and ${cannot}`,
        {
          hint: override,
          plugin: plugin.id,
        },
      ),
    };
  }
  return { runtime: floor };
}

/** The note `plugins doctor` gives for a plugin the policy moved to a more isolated runtime. */
export function raisedNote(
  id: string,
  declared: RuntimeKind,
  runtime: RuntimeKind,
  trust: TrustLevel,
): Diagnostic {
  return diagnostic(
    'JOVIAN_E_ISOLATION_RAISED',
    `plugin \`${id}\` runs in a \`${runtime}\`, not \`${declared}\` as declared: ${trust} plugins run at least in a \`${runtime}\` (security.isolation.${trust})`,
    {
      severity: 'info',
      hint: `to let it run as declared, add \`${id}\` to security.isolation.allow in jovian.yaml (docs/permissions.md)`,
      plugin: id,
    },
  );
}
