import type { GraphInput, GraphNode, ResolvedGraph } from '../graph/index.js';
import type { Diagnostic, PluginState } from '../types.js';
import { LOCK_REFUSAL } from './host-lock.js';
import type { PluginRecord } from './plugin-record.js';
import { TRUST_REFUSALS } from './plugin-trust.js';

/**
 * Errors that keep a valid manifest from running: its runtime is missing, the isolation policy refuses
 * it, or strict mode refuses its missing or failed signature.
 */
export const PLACEMENT_ERRORS: ReadonlySet<string> = new Set([
  'JOVIAN_E_RUNTIME_UNAVAILABLE',
  'JOVIAN_E_ISOLATION_REFUSED',
  ...TRUST_REFUSALS,
]);

/** True when jovian.lock refuses the plugin: it differs from its entry (host-lock.ts). */
export function refusedByLock(record: PluginRecord): Diagnostic | undefined {
  return record.diagnostics.find((d) => d.severity === 'error' && d.code === LOCK_REFUSAL);
}

export interface TargetState {
  readonly record: PluginRecord;
  readonly state: 'resolved' | 'blocked' | 'disabled' | 'error';
  readonly reason?: string | undefined;
  readonly code?: string | undefined;
}

/**
 * The dependency graph input for the current registry: valid plugins with their enabled flags, and
 * invalid or failed ones as failed nodes (so their dependents are blocked with "dependency failed"
 * rather than "missing").
 */
export function graphInputOf(
  records: Iterable<PluginRecord>,
  hostVersion: string,
  isEnabled: (id: string) => boolean,
): GraphInput {
  const nodes: GraphNode[] = [];
  for (const record of records) {
    const manifest = record.manifest;
    nodes.push({
      id: record.id,
      version: manifest?.version ?? record.identity.version ?? '0.0.0',
      category: record.category,
      engines: record.category === 'core' || !manifest ? '*' : manifest.engines.jovian,
      dependencies: manifest?.dependencies ?? [],
      extends: manifest?.extends ?? [],
      enabled: record.category === 'core' || isEnabled(record.id),
      failed: record.state === 'error' || manifest === undefined || refusedByLock(record) !== undefined,
    });
  }
  return { hostVersion, nodes };
}

/**
 * What each plugin's state should become after a resolution. Plugins without a valid manifest are in
 * error; a plugin in error stays there unless it is disabled; otherwise the graph decides.
 */
export function planTargets(records: ReadonlyMap<string, PluginRecord>, graph: ResolvedGraph): TargetState[] {
  const targets: TargetState[] = [];
  for (const id of graph.order) {
    const record = records.get(id);
    const status = graph.status.get(id);
    if (!record || !status) continue;
    if (!record.manifest) {
      const first = record.diagnostics.find((d) => d.severity === 'error');
      targets.push({
        record,
        state: 'error',
        reason: first?.message ?? 'invalid manifest',
        code: first?.code,
      });
      continue;
    }
    const capability = record.diagnostics.find((d) => d.severity === 'error' && PLACEMENT_ERRORS.has(d.code));
    if (capability && status.state !== 'disabled') {
      targets.push({ record, state: 'error', reason: capability.message, code: capability.code });
      continue;
    }
    const lockRefusal = refusedByLock(record);
    if (lockRefusal && status.state !== 'disabled') {
      targets.push({ record, state: 'blocked', reason: lockRefusal.message, code: lockRefusal.code });
      continue;
    }
    if (record.state === 'error' && status.state !== 'disabled') {
      targets.push({ record, state: 'error', reason: record.reason, code: record.reasonCode });
      continue;
    }
    const problem = status.problems.find((p) => p.severity === 'error');
    targets.push({ record, state: status.state, reason: status.reason, code: problem?.code });
  }
  return targets;
}

/** True when a plugin in `state` must be stopped before it can become `target`. */
export function mustStop(state: PluginState, target: TargetState['state']): boolean {
  return target !== 'resolved' && (state === 'loading' || state === 'ready' || state === 'suspended');
}
