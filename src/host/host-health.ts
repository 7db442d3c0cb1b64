import type { PluginState } from '../types.js';
import type { HealthCheck } from './health-check.js';
import type { PluginRecord } from './plugin-record.js';
import { JOVIAN_VERSION } from './version.js';

/** A system plugin that puts the host in degraded mode, and why. */
export interface DegradedBy {
  readonly id: string;
  readonly state: PluginState;
  readonly reason: string | null;
  readonly check: HealthCheck | null;
}

/** The host's health, as `GET /api/health` answers it. */
export interface HostHealth {
  readonly status: 'ok' | 'degraded';
  /** `ok`, or `degraded: <id> — <message>` naming each system plugin at fault (joined by `; `). */
  readonly mode: string;
  readonly version: string;
  readonly degradedBy: readonly DegradedBy[];
  readonly plugins: Readonly<
    Record<
      string,
      { readonly state: PluginState; readonly reason: string | null; readonly check: HealthCheck | null }
    >
  >;
}

/** States in which a plugin's last check still says something about it. */
const CHECKED: ReadonlySet<PluginState> = new Set([
  'ready',
  'suspended',
  'stopping',
  'stopped',
  'error',
  'loading',
  'resolved',
]);

/**
 * The host is degraded while a system plugin is in `error` or `blocked`, or its last health check was
 * not `ok` (a system plugin restarted for failing keeps it degraded until a check passes).
 */
export function hostHealth(records: readonly PluginRecord[]): HostHealth {
  const plugins = records.filter((r) => r.category !== 'core');
  const checkOf = (r: PluginRecord) => (r.check && CHECKED.has(r.state) ? r.check : null);
  const down = plugins.filter(
    (r) =>
      r.category === 'system' &&
      (r.state === 'error' || r.state === 'blocked' || (checkOf(r) !== null && checkOf(r)!.status !== 'ok')),
  );
  const degradedBy = down.map((r) => ({
    id: r.id,
    state: r.state,
    reason: r.reason ?? null,
    check: checkOf(r),
  }));
  return {
    status: down.length === 0 ? 'ok' : 'degraded',
    mode:
      down.length === 0
        ? 'ok'
        : `degraded: ${degradedBy.map((d) => `${d.id} — ${d.check?.status !== 'ok' && d.check?.message ? d.check.message : (d.reason ?? d.check?.status ?? d.state)}`).join('; ')}`,
    version: JOVIAN_VERSION,
    degradedBy,
    plugins: Object.fromEntries(
      plugins.map((r) => [r.id, { state: r.state, reason: r.reason ?? null, check: checkOf(r) }]),
    ),
  };
}
