import { type PluginHealth, type RecoveryOptions, restartDelay, restartPolicyOf } from './plugin-health.js';
import type { PluginRecord } from './plugin-record.js';

/** What recovery needs from the host. */
export interface RecoveryHost {
  /** Stops delivering to an active plugin, keeping its state. */
  suspend(record: PluginRecord, reason: string, code?: string): Promise<void>;
  resume(record: PluginRecord, reason: string): Promise<void>;
  /** Takes a plugin out of `error` (back to `resolved`); activates it when `activate` is true. */
  restart(record: PluginRecord, reason: string, activate: boolean): Promise<void>;
  /** Stops an idle plugin; its next activation event loads it again. */
  hibernate(record: PluginRecord, reason: string): Promise<void>;
  healthOf(record: PluginRecord): PluginHealth;
  records(): Iterable<PluginRecord>;
  announce(topic: 'plugin.breaker' | 'plugin.restart' | 'plugin.hibernated', payload: unknown): void;
  log(record: PluginRecord, level: 'info' | 'warn' | 'error', message: string): void;
}

/**
 * Failure containment over time: the circuit breaker of each plugin (consecutive failures suspend it
 * for a cool-down, then one trial decides), restarts after crashes with exponential backoff per the
 * plugin's restart policy, and hibernation of idle tools. Timers never keep the process alive.
 */
export class PluginRecovery {
  readonly #host: RecoveryHost;
  readonly #options: RecoveryOptions;
  readonly #now: () => number;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #idleSweep: NodeJS.Timeout | undefined;
  readonly #idleSeen = new Map<string, { uses: number; since: number }>();
  #stopped = false;

  constructor(host: RecoveryHost, options: RecoveryOptions, now: () => number = Date.now) {
    this.#host = host;
    this.#options = options;
    this.#now = now;
  }

  /** A call, hook tap or event handler of `record` failed. */
  failed(record: PluginRecord): void {
    if (record.category === 'core' || this.#stopped) return;
    const health = this.#host.healthOf(record);
    if (!health.failed(this.#now())) return;
    this.#opened(record, health);
    if (record.state === 'ready') {
      health.suspendedBy = 'breaker';
      void this.#host.suspend(record, `circuit breaker open: ${this.#why(health)}`, 'JOVIAN_E_CIRCUIT_OPEN');
      this.#at(record, health.breaker.retryAt, () => this.#cooledDown(record));
    }
  }

  /** A call of `record` was answered. */
  succeeded(record: PluginRecord): void {
    const health = record.category === 'core' ? undefined : this.#host.healthOf(record);
    if (!health?.breaker.success(this.#now())) return;
    this.#host.log(record, 'info', 'circuit breaker closed: the trial call succeeded');
    this.#host.announce('plugin.breaker', { id: record.id, state: 'closed' });
  }

  /** `record` became ready (activated). */
  activated(record: PluginRecord): void {
    if (record.category === 'core') return;
    const health = this.#host.healthOf(record);
    health.readyAt = this.#now();
    health.restartAt = 0;
    // A successful start is the trial of a half-open breaker.
    if (health.breaker.state(health.readyAt) === 'half_open') this.succeeded(record);
  }

  /** `record` went to `error` (it crashed or failed to start): restart it per its policy. */
  crashed(record: PluginRecord): void {
    if (record.category === 'core' || !record.manifest || this.#stopped) return;
    const health = this.#host.healthOf(record);
    const now = this.#now();
    if (health.failed(now)) this.#opened(record, health);
    if (health.readyAt > 0 && now - health.readyAt >= this.#options.stableAfterMs) health.restarts = 0;
    health.readyAt = 0;
    health.restarts++;
    const policy = restartPolicyOf(record.category, record.manifest.restart);
    if (policy === 'never') {
      this.#host.log(
        record,
        'warn',
        'restart policy `never`: it stays in error until restarted or enabled again',
      );
      return;
    }
    const delay = restartDelay(health.restarts, this.#options);
    const at = Math.max(now + delay, health.breaker.state(now) === 'open' ? health.breaker.retryAt : 0);
    health.restartAt = at;
    const verb = policy === 'always' ? 'restarts it' : 'lets its next activation event load it';
    this.#host.log(
      record,
      'info',
      `the host ${verb} in ${Math.round(at - now)} ms (restart ${health.restarts})`,
    );
    this.#host.announce('plugin.restart', {
      id: record.id,
      at: new Date(at).toISOString(),
      attempt: health.restarts,
      policy,
    });
    this.#at(record, at, () => {
      health.restartAt = 0;
      if (record.state !== 'error') return;
      void this.#host.restart(
        record,
        `restart ${health.restarts} after: ${record.reason ?? 'a failure'}`,
        policy === 'always',
      );
    });
  }

  /** Forgets the timers of `record` (it was disabled, restarted or resumed by the operator). */
  cancel(record: PluginRecord): void {
    const timer = this.#timers.get(record.id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(record.id);
  }

  /** Starts the idle sweep when a plugin or the host asks for hibernation. */
  watchIdle(): void {
    const timeouts = [...this.#host.records()]
      .map((r) => this.#idleTimeout(r))
      .filter((t) => t !== undefined);
    if (timeouts.length === 0 || this.#idleSweep) return;
    const every = Math.max(10, Math.min(...timeouts) / 4);
    this.#idleSweep = setInterval(() => this.#sweepIdle(), every);
    this.#idleSweep.unref();
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    if (this.#idleSweep) clearInterval(this.#idleSweep);
    this.#idleSweep = undefined;
  }

  #opened(record: PluginRecord, health: PluginHealth): void {
    const message = `circuit breaker open: ${this.#why(health)}`;
    this.#host.log(record, 'warn', message);
    this.#host.announce('plugin.breaker', {
      id: record.id,
      state: 'open',
      retryAt: new Date(health.breaker.retryAt).toISOString(),
    });
  }

  #why(health: PluginHealth): string {
    const failures = health.breaker.snapshot(this.#now()).failures;
    return `${failures} consecutive failures; one trial call after ${new Date(health.breaker.retryAt).toISOString()}`;
  }

  #cooledDown(record: PluginRecord): void {
    const health = this.#host.healthOf(record);
    if (record.state !== 'suspended' || health.suspendedBy !== 'breaker') return;
    health.suspendedBy = undefined;
    this.#host.announce('plugin.breaker', { id: record.id, state: 'half_open' });
    void this.#host.resume(record, 'circuit breaker half-open: the next call is a trial');
  }

  #at(record: PluginRecord, at: number, work: () => void): void {
    this.cancel(record);
    const timer = setTimeout(
      () => {
        this.#timers.delete(record.id);
        if (!this.#stopped) work();
      },
      Math.max(0, at - this.#now()),
    );
    timer.unref();
    this.#timers.set(record.id, timer);
  }

  #idleTimeout(record: PluginRecord): number | undefined {
    if (record.category !== 'tool' || !record.manifest) return undefined;
    return record.manifest.limits.idle_timeout_ms ?? this.#options.idleTimeoutMs;
  }

  #sweepIdle(): void {
    const now = this.#now();
    for (const record of this.#host.records()) {
      const timeout = this.#idleTimeout(record);
      if (timeout === undefined || record.state !== 'ready') {
        this.#idleSeen.delete(record.id);
        continue;
      }
      const uses = this.#host.healthOf(record).uses;
      const seen = this.#idleSeen.get(record.id);
      if (!seen || seen.uses !== uses) {
        this.#idleSeen.set(record.id, { uses, since: now });
        continue;
      }
      if (now - seen.since < timeout) continue;
      this.#idleSeen.delete(record.id);
      const reason = `hibernated after ${timeout} ms without calls`;
      this.#host.announce('plugin.hibernated', { id: record.id, idleMs: now - seen.since });
      void this.#host.hibernate(record, reason);
    }
  }
}
