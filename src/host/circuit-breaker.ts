/** `closed`: calls go through. `open`: refused until the cool-down ends. `half_open`: one trial decides. */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly threshold: number;
  /** The first cool-down (ms); it doubles each time a trial fails, up to `maxCooldownMs`. */
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

/** The breaker as `plugins list` and `plugins info` show it. */
export interface BreakerSnapshot {
  readonly state: BreakerState;
  /** Consecutive failures so far. */
  readonly failures: number;
  /** ISO 8601: when an open breaker lets a trial through. */
  readonly retryAt: string | null;
  /** How many times it opened since the host started. */
  readonly opened: number;
}

/**
 * A per-plugin circuit breaker: after `threshold` consecutive failures it opens and the host stops
 * calling the plugin; after the cool-down it lets one trial through (half-open); a success closes it, a
 * failure opens it again for twice as long. A pure state machine: the caller passes the time, so it is
 * tested without waiting.
 */
export class CircuitBreaker {
  readonly #options: BreakerOptions;
  #state: BreakerState = 'closed';
  #failures = 0;
  #cooldownMs: number;
  #retryAt = 0;
  #opened = 0;

  constructor(options: BreakerOptions) {
    this.#options = options;
    this.#cooldownMs = options.cooldownMs;
  }

  /** The state at `now`: an open breaker whose cool-down has ended is half-open. */
  state(now: number): BreakerState {
    if (this.#state === 'open' && now >= this.#retryAt) this.#state = 'half_open';
    return this.#state;
  }

  /** True when a call may go through at `now`. */
  allows(now: number): boolean {
    return this.state(now) !== 'open';
  }

  /** When an open breaker lets a trial through (ms since the epoch). */
  get retryAt(): number {
    return this.#retryAt;
  }

  /** Records a failure; returns true when it made the breaker open. */
  failure(now: number): boolean {
    this.#failures++;
    const state = this.state(now);
    if (state === 'half_open') {
      this.#cooldownMs = Math.min(this.#cooldownMs * 2, this.#options.maxCooldownMs);
      return this.#open(now);
    }
    if (state === 'closed' && this.#failures >= this.#options.threshold) return this.#open(now);
    return false;
  }

  /** Records a success; returns true when it closed an open or half-open breaker. */
  success(now: number): boolean {
    const wasClosed = this.state(now) === 'closed';
    this.#failures = 0;
    if (wasClosed) return false;
    this.#state = 'closed';
    this.#cooldownMs = this.#options.cooldownMs;
    return true;
  }

  snapshot(now: number): BreakerSnapshot {
    const state = this.state(now);
    return {
      state,
      failures: this.#failures,
      retryAt: state === 'open' ? new Date(this.#retryAt).toISOString() : null,
      opened: this.#opened,
    };
  }

  #open(now: number): boolean {
    this.#state = 'open';
    this.#retryAt = now + this.#cooldownMs;
    this.#opened++;
    return true;
  }
}
