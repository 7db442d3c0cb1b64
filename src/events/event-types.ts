import type { JovianError } from '../errors.js';
import type { Disposable } from '../util/index.js';

/** An event as subscribers receive it. One object is shared by every subscriber: do not mutate it. */
export interface BusEvent {
  /** Increasing per bus. */
  readonly id: number;
  readonly topic: string;
  readonly payload: unknown;
  /** Who emitted it: a plugin id, or `host`. */
  readonly source?: string | undefined;
  /** Milliseconds since the epoch, at emit. */
  readonly at: number;
}

/**
 * What happens when a subscriber's queue is full: `drop-oldest` makes room by dropping the oldest
 * queued event, `drop-newest` drops the new one, `unsubscribe` removes a subscriber that cannot keep up.
 */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'unsubscribe';

export interface SubscribeOptions {
  readonly name?: string;
  /** The plugin charged with this subscriber's failures. */
  readonly owner?: string | undefined;
  /** Events waiting for this subscriber, at most; default 1000. */
  readonly queueSize?: number;
  readonly overflow?: OverflowPolicy;
  /** A handler that does not settle in time is reported as failed and skipped; default no deadline. */
  readonly handlerTimeoutMs?: number;
}

export interface SubscriptionStats {
  readonly delivered: number;
  readonly failed: number;
  readonly dropped: number;
  readonly queued: number;
}

export interface Subscription extends Disposable {
  readonly patterns: readonly string[];
  readonly name: string;
  readonly owner: string | undefined;
  readonly active: boolean;
  readonly stats: SubscriptionStats;
}

export interface HandlerFailure {
  readonly name: string;
  readonly owner: string | undefined;
  readonly topic: string;
  readonly error: JovianError;
}

export interface OverflowReport {
  readonly name: string;
  readonly owner: string | undefined;
  readonly topic: string;
  readonly policy: OverflowPolicy;
  readonly dropped: number;
}
