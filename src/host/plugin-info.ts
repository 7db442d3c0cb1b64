import { RUNTIME_CAPABILITIES } from '../runtimes/index.js';
import type {
  Contributions,
  DependencySpec,
  Diagnostic,
  ExtendsSpec,
  Limits,
  Permissions,
  PluginCategory,
  PluginOutcome,
  PluginState,
  RuntimeKind,
} from '../types.js';
import type { BreakerState } from './circuit-breaker.js';
import type { HealthCheck } from './health-check.js';
import { HEALTHY, type PluginHealthSnapshot } from './plugin-health.js';
import type { PluginRecord } from './plugin-record.js';
import type { PluginSignature } from './plugin-trust.js';

/**
 * One line of `jovian plugins list --json` (and of `GET /api/plugins`). Stable: fields are only ever
 * added. `reason` and `reasonCode` are null unless the plugin is blocked, disabled or in error.
 */
export interface PluginSummary {
  readonly id: string;
  readonly name: string;
  readonly type: PluginCategory;
  readonly version: string | null;
  readonly runtime: RuntimeKind | null;
  readonly state: PluginState;
  readonly reason: string | null;
  readonly reasonCode: string | null;
  readonly legacy: boolean;
  /** The circuit breaker: `closed` (calls go through), `open` (refused until the cool-down ends), `half_open`. */
  readonly breaker: BreakerState;
  /**
   * `official` (core plugins), the level of the key that signed it when its plugin.sig verified at load
   * (`official`, `verified` or `community`), else `unsigned` (docs/packaging.md#trust-at-load).
   */
  readonly trust: string;
  /** Who signed it and when, when its signature verified; null otherwise. */
  readonly signature: PluginSignature | null;
  /** Unsigned, loaded only because strict mode allows unsigned local plugins ("dev / unsigned"). */
  readonly dev_unsigned: boolean;
  /** What plugin.yaml lets it touch (docs/permissions.md); null without a manifest (legacy, core). */
  readonly permissions: Permissions | null;
}

/** `jovian plugins info <id> --json`: the summary plus every manifest fact and the last outcome. */
export interface PluginDetails extends PluginSummary {
  readonly description: string;
  readonly author: string | null;
  readonly license: string | null;
  readonly dir: string;
  readonly manifestFile: string;
  readonly activation: readonly string[];
  readonly activationDerived: boolean;
  readonly dependencies: readonly DependencySpec[];
  readonly extends: readonly ExtendsSpec[];
  readonly contributes: Contributions | null;
  readonly limits: Limits | null;
  readonly configSchemaVersion: number | null;
  readonly hasInputs: boolean;
  readonly outcome: PluginOutcome;
  readonly failures: number;
  /** What plugin.yaml asks for, when the isolation policy runs the plugin elsewhere (`runtime`); else null. */
  readonly declaredRuntime: RuntimeKind | null;
  /** Breaker details, crashes since the plugin was last stable, the next scheduled restart. */
  readonly health: PluginHealthSnapshot;
  /** The last health() check (docs/lifecycle.md#health-checks); null before the first one. */
  readonly healthCheck: HealthCheck | null;
  /** ISO 8601: when the current state was entered. */
  readonly since: string;
  /** The last hot reload (developer mode): when, whether it worked, and why not; null if never. */
  readonly lastReload: { readonly at: string; readonly ok: boolean; readonly error?: string } | null;
  readonly capabilities: (typeof RUNTIME_CAPABILITIES)[RuntimeKind] | null;
  readonly diagnostics: readonly Diagnostic[];
}

export function summarize(record: PluginRecord): PluginSummary {
  return {
    id: record.id,
    name: record.manifest?.name ?? record.identity.name ?? record.id,
    type: record.category,
    version: record.manifest?.version ?? record.identity.version ?? null,
    runtime: record.manifest?.runtime ?? null,
    state: record.state,
    reason: record.reason ?? null,
    reasonCode: record.reasonCode ?? null,
    legacy: record.legacy,
    breaker: record.health?.breaker.state(Date.now()) ?? 'closed',
    trust: record.trust,
    signature: record.signature ?? null,
    dev_unsigned: record.devUnsigned,
    permissions: record.manifest?.permissions ?? null,
  };
}

export function describePlugin(record: PluginRecord): PluginDetails {
  const manifest = record.manifest;
  return {
    ...summarize(record),
    description: manifest?.description ?? '',
    author: manifest?.author ?? null,
    license: manifest?.license ?? null,
    dir: record.dir,
    manifestFile: record.file,
    activation: manifest?.activation ?? [],
    activationDerived: manifest?.activation_derived ?? false,
    dependencies: manifest?.dependencies ?? [],
    extends: manifest?.extends ?? [],
    contributes: manifest?.contributes ?? null,
    limits: manifest?.limits ?? null,
    configSchemaVersion: manifest?.config_schema.version ?? null,
    hasInputs: manifest?.inputs !== undefined,
    outcome: record.outcome,
    failures: record.failures,
    declaredRuntime: record.declaredRuntime ?? null,
    health: record.health?.snapshot(Date.now()) ?? HEALTHY,
    healthCheck: record.check ?? null,
    since: new Date(record.since).toISOString(),
    lastReload: record.lastReload ?? null,
    capabilities: manifest ? RUNTIME_CAPABILITIES[manifest.runtime] : null,
    diagnostics: record.diagnostics,
  };
}
