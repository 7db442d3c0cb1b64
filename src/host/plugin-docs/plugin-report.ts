import type { PluginCategory, PluginState, RuntimeKind } from '../../types.js';
import type { HealthCheck } from '../health-check.js';
import type { HostHealth } from '../host-health.js';
import type { PluginRecord } from '../plugin-record.js';
import { JOVIAN_VERSION } from '../version.js';
import { manifestOf } from './legacy-manifest.js';
import { problemLine } from './plugin-doc-model.js';

/** What a running `jovian serve` says of one plugin (`GET /api/health` and `GET /api/plugins`). */
export type LivePlugin = HostHealth['plugins'][string] & {
  /** Where the server runs it (the isolation policy may have moved it from its manifest's runtime). */
  readonly runtime?: RuntimeKind | null | undefined;
};

/** What a running `jovian serve` says of its plugins. */
export interface LiveHealth {
  readonly url: string;
  readonly plugins: Readonly<Record<string, LivePlugin>>;
}

export interface PluginReportEntry {
  readonly id: string;
  readonly name: string;
  readonly version: string | null;
  readonly type: PluginCategory;
  readonly runtime: RuntimeKind | null;
  readonly state: PluginState;
  /** Why it is blocked, disabled or in error; null otherwise. */
  readonly reason: string | null;
  /** Its last health check in the running server; null without a server or before the first check. */
  readonly check: HealthCheck | null;
  /** Manifest problems (errors and warnings), places relative to the plugins folder. */
  readonly problems: readonly string[];
}

export interface PluginReportCounts {
  readonly total: number;
  /** Code loaded: `ready` or `suspended`. */
  readonly active: number;
  /** Every state but `disabled`. */
  readonly enabled: number;
  readonly disabled: number;
  /** Cannot run: `error` or `blocked`. */
  readonly failed: number;
}

export interface PluginReport {
  /** ISO 8601, UTC. */
  readonly generatedAt: string;
  /** The server's URL when states and health come from a running `jovian serve`; null for a local load. */
  readonly server: string | null;
  readonly hostVersion: string;
  readonly counts: PluginReportCounts;
  /** Sorted by id. */
  readonly plugins: readonly PluginReportEntry[];
}

const ACTIVE: ReadonlySet<PluginState> = new Set(['ready', 'suspended']);
const FAILED: ReadonlySet<PluginState> = new Set(['error', 'blocked']);

/**
 * The state of every plugin but the core ones: from `live` (a running server) when given — its states
 * and last health checks — else from `records` as a local load left them. Manifest problems always
 * come from `records`.
 */
export function buildPluginReport(
  records: readonly PluginRecord[],
  options: { readonly now: Date; readonly live?: LiveHealth | undefined },
): PluginReport {
  const plugins = records
    .filter((r) => r.category !== 'core')
    .map((record): PluginReportEntry => {
      const live = options.live?.plugins[record.id];
      const manifest = manifestOf(record);
      return {
        id: record.id,
        name: manifest?.name ?? record.identity.name ?? record.id,
        version: manifest?.version ?? record.identity.version ?? null,
        type: record.category,
        runtime: live?.runtime !== undefined ? live.runtime : (record.manifest?.runtime ?? null),
        state: live?.state ?? record.state,
        reason: live ? live.reason : (record.reason ?? null),
        check: live?.check ?? null,
        problems: record.diagnostics.filter((d) => d.severity !== 'info').map((d) => problemLine(record, d)),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const count = (keep: (p: PluginReportEntry) => boolean) => plugins.filter(keep).length;
  return {
    generatedAt: options.now.toISOString(),
    server: options.live?.url ?? null,
    hostVersion: JOVIAN_VERSION,
    counts: {
      total: plugins.length,
      active: count((p) => ACTIVE.has(p.state)),
      enabled: count((p) => p.state !== 'disabled'),
      disabled: count((p) => p.state === 'disabled'),
      failed: count((p) => FAILED.has(p.state)),
    },
    plugins,
  };
}

/** `plugin_report_20260301.md`: the UTC date of `now`. */
export function reportFileName(now: Date): string {
  return `plugin_report_${now.toISOString().slice(0, 10).replace(/-/g, '')}.md`;
}
