import { JovianError } from '../errors.js';
import { withDeadline } from '../util/index.js';
import { type HealthCheck, type HealthSettings, readHealthAnswer } from './health-check.js';
import type { ActivePlugin, PluginRecord } from './plugin-record.js';

/** What the monitor needs from the host. */
export interface HealthMonitorHost {
  records(): Iterable<PluginRecord>;
  /** The settings now (jovian.yaml may have changed them since the last tick). */
  settings(): HealthSettings;
  /** `record` failed `failureThreshold` checks in a row: stop it (tool) or restart it (system). */
  failing(record: PluginRecord, check: HealthCheck): Promise<void>;
  /** A system plugin answered null: it has no health(). */
  missing(record: PluginRecord): void;
  /** The result of `record` changed (status or message): publish `plugin.health`. */
  changed(record: PluginRecord, check: HealthCheck, previous: HealthCheck | undefined): void;
}

/**
 * Calls health() of every active (`ready`) plugin on an interval, each call with its deadline, and
 * keeps the last result on the plugin (`record.check`). A plugin whose health() answers null has none
 * and is not asked again while it runs. A check that throws, answers something else than a report,
 * or misses its deadline counts as failing; a call still unanswered at the next tick counts again, so
 * a health() that hangs reaches the threshold like one that fails. Checks are not plugin uses: they
 * never keep a tool from hibernating and never charge its circuit breaker. Timers never keep the
 * process alive.
 */
export class HealthMonitor {
  readonly #host: HealthMonitorHost;
  /** health() calls still unanswered, per loaded instance of a plugin. */
  readonly #pending = new WeakMap<ActivePlugin, number>();
  /** Plugins without health(), per loaded instance. */
  readonly #missing = new WeakSet<ActivePlugin>();
  #timer: NodeJS.Timeout | undefined;
  #every = 0;

  constructor(host: HealthMonitorHost) {
    this.#host = host;
  }

  /** Starts (or re-times) the periodic checks. */
  start(): void {
    const every = this.#host.settings().intervalMs;
    if (this.#timer && every === this.#every) return;
    this.stop();
    this.#every = every;
    this.#timer = setInterval(() => this.tick(), every);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Checks every active plugin now. */
  tick(): void {
    for (const record of this.#host.records()) void this.check(record);
  }

  /** Checks one plugin now, if it is active and may have a health(); never rejects. */
  async check(record: PluginRecord): Promise<void> {
    const active = record.active;
    if (record.category === 'core' || record.state !== 'ready' || !active || this.#missing.has(active))
      return;
    const { timeoutMs } = this.#host.settings();
    const startedAt = this.#pending.get(active);
    if (startedAt !== undefined) {
      const waited = Math.round(performance.now() - startedAt);
      this.#settle(
        record,
        active,
        {
          status: 'failing',
          message: `plugin \`${record.id}\`: health() has not answered for ${waited} ms`,
        },
        waited,
      );
      return;
    }
    const started = performance.now();
    this.#pending.set(active, started);
    const call = active.instance.guest.call('health');
    call.then(
      () => this.#pending.delete(active),
      () => this.#pending.delete(active),
    );
    let outcome: { status: HealthCheck['status']; message: string | null };
    try {
      const answer = await withDeadline(
        call,
        timeoutMs,
        () =>
          new JovianError(
            'JOVIAN_E_HEALTH_TIMEOUT',
            `plugin \`${record.id}\`: health() did not answer within ${timeoutMs} ms`,
          ),
      );
      if (answer === null || answer === undefined) {
        this.#missing.add(active);
        if (record.category === 'system') this.#host.missing(record);
        return;
      }
      outcome = readHealthAnswer(record.id, answer);
    } catch (error) {
      outcome = { status: 'failing', message: (error as Error).message };
    }
    this.#settle(record, active, outcome, performance.now() - started);
  }

  #settle(
    record: PluginRecord,
    active: ActivePlugin,
    outcome: { status: HealthCheck['status']; message: string | null },
    durationMs: number,
  ): void {
    // The plugin stopped or was restarted meanwhile: this result is about code that no longer runs.
    if (record.active !== active || record.state !== 'ready') return;
    const previous = record.check;
    const failures = outcome.status === 'failing' ? (previous?.failures ?? 0) + 1 : 0;
    const check: HealthCheck = {
      status: outcome.status,
      message: outcome.message,
      checkedAt: new Date().toISOString(),
      durationMs: Math.round(durationMs * 10) / 10,
      failures,
    };
    record.check = check;
    if (previous?.status !== check.status || previous.message !== check.message)
      this.#host.changed(record, check, previous);
    if (failures >= this.#host.settings().failureThreshold) void this.#host.failing(record, check);
  }
}
