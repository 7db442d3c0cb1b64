import type { PluginCategory, RestartPolicy } from '../types.js';
import { type BreakerOptions, type BreakerSnapshot, CircuitBreaker } from './circuit-breaker.js';

/** How the host reacts to failing plugins; every field has a default (HostOptions.recovery). */
export interface RecoveryOptions {
  readonly breaker: BreakerOptions;
  /** The first restart delay after a crash (ms); it doubles with each crash, up to `maxRestartDelayMs`. */
  readonly restartDelayMs: number;
  readonly maxRestartDelayMs: number;
  /** A plugin that stays up this long (ms) is stable again: its next crash restarts it after `restartDelayMs`. */
  readonly stableAfterMs: number;
  /** Hibernation of tools without `limits.idle_timeout_ms` (ms); undefined: never. */
  readonly idleTimeoutMs: number | undefined;
  /** How often isolated plugins are sent `$/ping`; one that does not answer within its call deadline is stopped. */
  readonly livenessIntervalMs: number;
}

export const DEFAULT_RECOVERY: RecoveryOptions = {
  breaker: { threshold: 5, cooldownMs: 30_000, maxCooldownMs: 600_000 },
  restartDelayMs: 1_000,
  maxRestartDelayMs: 60_000,
  stableAfterMs: 60_000,
  idleTimeoutMs: undefined,
  livenessIntervalMs: 5_000,
};

/** The policy of a plugin: its manifest's `restart`, or `always` for system plugins, `on_demand` for tools. */
export function restartPolicyOf(
  category: PluginCategory,
  declared: RestartPolicy | undefined,
): RestartPolicy {
  if (declared) return declared;
  return category === 'system' ? 'always' : 'on_demand';
}

/** The delay before restart number `attempt` (1-based): exponential backoff, capped. */
export function restartDelay(attempt: number, options: RecoveryOptions): number {
  return Math.min(options.restartDelayMs * 2 ** Math.max(0, attempt - 1), options.maxRestartDelayMs);
}

/** The health of one plugin: created the first time it is used, so inactive plugins cost nothing. */
export class PluginHealth {
  readonly breaker: CircuitBreaker;
  /** Calls, hook calls and event deliveries so far (a failure after another use breaks a failure run). */
  uses = 0;
  /** `uses` at the last failure. */
  usesAtFailure = -1;
  /** Crashes since the plugin was last stable. */
  restarts = 0;
  /** When the plugin last became ready (ms since the epoch). */
  readyAt = 0;
  /** When the next restart is due (ms since the epoch), or 0. */
  restartAt = 0;
  /** Why the plugin is suspended: by its breaker (it resumes by itself) or by the operator. */
  suspendedBy: 'breaker' | 'operator' | undefined;

  constructor(options: RecoveryOptions) {
    this.breaker = new CircuitBreaker(options.breaker);
  }

  /** Records a failure; true when it opened the breaker. */
  failed(now: number): boolean {
    // A use between two failures was a success (or is in flight): the failures are not consecutive.
    if (this.uses > this.usesAtFailure + 1 && this.usesAtFailure >= 0) this.breaker.success(now);
    this.usesAtFailure = this.uses;
    return this.breaker.failure(now);
  }

  snapshot(now: number): PluginHealthSnapshot {
    return {
      breaker: this.breaker.snapshot(now),
      restarts: this.restarts,
      nextRestartAt: this.restartAt > now ? new Date(this.restartAt).toISOString() : null,
      suspendedBy: this.suspendedBy ?? null,
    };
  }
}

export interface PluginHealthSnapshot {
  readonly breaker: BreakerSnapshot;
  /** Crashes since the plugin was last stable. */
  readonly restarts: number;
  /** ISO 8601: when the host restarts it, if a restart is scheduled. */
  readonly nextRestartAt: string | null;
  readonly suspendedBy: 'breaker' | 'operator' | null;
}

/** What `plugins list` shows for a plugin that never failed. */
export const HEALTHY: PluginHealthSnapshot = Object.freeze({
  breaker: Object.freeze({ state: 'closed', failures: 0, retryAt: null, opened: 0 }),
  restarts: 0,
  nextRestartAt: null,
  suspendedBy: null,
}) as PluginHealthSnapshot;
