import { errorToData, JovianError } from '../errors.js';
import type { HookMap } from '../hooks/index.js';
import type { HealthCheck } from './health-check.js';
import { HealthMonitor } from './health-monitor.js';
import type { HostCore } from './host-core.js';
import type { PluginRecord } from './plugin-record.js';
import type { PluginRecovery } from './plugin-recovery.js';

/** The code a plugin stopped for its health carries as its reason code. */
export const HEALTH_FAILING = 'JOVIAN_E_HEALTH_FAILING';

/**
 * The host's side of health checks: a result that changes is published as `plugin.health`; a plugin
 * that fails `failureThreshold` checks in a row is acted on — a tool is stopped (`stopped`, the reason
 * kept as its state reason; its next activation event loads it again), a system plugin goes to `error`
 * and is restarted per its restart policy. A system plugin without health() gets a warning diagnostic.
 */
export function createHealthMonitor<H extends HookMap>(
  host: HostCore<H>,
  records: () => Iterable<PluginRecord>,
  recovery: PluginRecovery,
): HealthMonitor {
  return new HealthMonitor({
    records,
    settings: () => host.healthSettings(),
    changed: (record, check, previous) => {
      const level = check.status === 'ok' ? 'info' : 'warn';
      host.logs.write(
        record.id,
        level,
        `health: ${check.status}${check.message ? ` — ${check.message}` : ''}`,
      );
      host.events.emit(
        'plugin.health',
        { id: record.id, ...check, previous: previous?.status ?? null },
        { source: 'host' },
      );
    },
    missing: (record) => {
      const message = `system plugin \`${record.id}\` does not implement health(): the host cannot tell whether it works`;
      host.logs.write(record.id, 'warn', message);
      if (record.diagnostics.some((d) => d.code === 'JOVIAN_E_HEALTH_MISSING')) return;
      record.addDiagnostics([
        {
          code: 'JOVIAN_E_HEALTH_MISSING',
          severity: 'warning',
          message,
          hint: 'add `health() { return { status: "ok" }; }` (checking what the plugin depends on) to its definition',
          where: { file: record.file, line: 1, column: 1 },
          plugin: record.id,
        },
      ]);
    },
    failing: (record, check) => act(host, recovery, record, check),
  });
}

async function act<H extends HookMap>(
  host: HostCore<H>,
  recovery: PluginRecovery,
  record: PluginRecord,
  check: HealthCheck,
): Promise<void> {
  if (record.state !== 'ready') return;
  const reason = `health check failed ${check.failures} time${check.failures === 1 ? '' : 's'} in a row: ${check.message ?? 'failing'}`;
  host.logs.write(record.id, 'error', reason);
  if (!(await host.stopActive(record, reason))) return;
  if (record.category === 'system') {
    const error = new JovianError(HEALTH_FAILING, `plugin \`${record.id}\`: ${reason}`);
    host.transition(record, 'error', reason, HEALTH_FAILING);
    record.outcome = { ...record.outcome, error: errorToData(error) };
    recovery.crashed(record);
    void host.scheduleResolve();
    return;
  }
  // A stopped tool keeps no reason by default: this one says why it was stopped until it loads again.
  record.reason = reason;
  record.reasonCode = HEALTH_FAILING;
}
