import type { HealthStatus } from '../runtimes/index.js';

/** When and how the host checks plugins' health (HostOptions.health, jovian.yaml `health`). */
export interface HealthSettings {
  /** Time between two checks of one plugin (ms). */
  readonly intervalMs: number;
  /** How long health() may take before the check counts as failing (ms). */
  readonly timeoutMs: number;
  /** Failing checks in a row before the host acts: a tool is stopped, a system plugin restarted. */
  readonly failureThreshold: number;
}

export const DEFAULT_HEALTH: HealthSettings = { intervalMs: 30_000, timeoutMs: 5_000, failureThreshold: 3 };

/** The last health check of a plugin, as `/api/health` and the WebUI show it. */
export interface HealthCheck {
  readonly status: HealthStatus;
  /** What health() said, or why the check failed (it threw, it timed out); null when it said nothing. */
  readonly message: string | null;
  /** ISO 8601. */
  readonly checkedAt: string;
  readonly durationMs: number;
  /** Failing checks in a row, this one included (0 when it did not fail). */
  readonly failures: number;
}

const STATUSES: ReadonlySet<string> = new Set(['ok', 'degraded', 'failing']);

/** What a health() answer means; an answer that is not a report is a failing check that says why. */
export function readHealthAnswer(
  pluginId: string,
  answer: unknown,
): { status: HealthStatus; message: string | null } {
  if (typeof answer === 'object' && answer !== null) {
    const { status, message } = answer as { status?: unknown; message?: unknown };
    if (typeof status === 'string' && STATUSES.has(status))
      return { status: status as HealthStatus, message: typeof message === 'string' ? message : null };
  }
  return {
    status: 'failing',
    message: `plugin \`${pluginId}\`: health() answered ${JSON.stringify(answer)}, not { status: "ok" | "degraded" | "failing", message }`,
  };
}
