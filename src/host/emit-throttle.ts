import { JovianError } from '../errors.js';

/** The events a plugin may emit per second when its manifest does not say (`limits.events_per_second`). */
export const DEFAULT_EVENTS_PER_SECOND = 1_000;

/**
 * A token bucket on one plugin's emits, so that a plugin flooding the event bus is throttled instead of
 * starving the others: up to `perSecond` events a second (bursts of as many), the rest refused with
 * JOVIAN_E_EVENTS_THROTTLED. `onThrottled` is told once per second of flooding, with how many were
 * dropped in the second before.
 */
export class EmitThrottle {
  readonly #pluginId: string;
  readonly #perSecond: number;
  readonly #onThrottled: (dropped: number) => void;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;
  #windowStart = 0;
  #dropped = 0;

  constructor(
    pluginId: string,
    perSecond: number,
    onThrottled: (dropped: number) => void,
    now: () => number = () => performance.now(),
  ) {
    this.#pluginId = pluginId;
    this.#perSecond = perSecond;
    this.#onThrottled = onThrottled;
    this.#now = now;
    this.#tokens = perSecond;
    this.#refilledAt = now();
  }

  /** @throws JOVIAN_E_EVENTS_THROTTLED when the plugin is over its rate */
  take(): void {
    const now = this.#now();
    this.#tokens = Math.min(
      this.#perSecond,
      this.#tokens + ((now - this.#refilledAt) / 1_000) * this.#perSecond,
    );
    this.#refilledAt = now;
    if (this.#tokens >= 1) {
      this.#tokens--;
      return;
    }
    this.#dropped++;
    if (now - this.#windowStart >= 1_000) {
      this.#windowStart = now;
      this.#onThrottled(this.#dropped);
      this.#dropped = 0;
    }
    throw new JovianError(
      'JOVIAN_E_EVENTS_THROTTLED',
      `plugin \`${this.#pluginId}\` emits more than ${this.#perSecond} events per second: this event was dropped`,
    );
  }
}
