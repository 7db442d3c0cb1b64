import { BoundedQueue } from './bounded-queue.js';
import type {
  BusEvent,
  OverflowPolicy,
  SubscribeOptions,
  Subscription,
  SubscriptionStats,
} from './event-types.js';
import { matches } from './topics.js';

export type Handler = (event: BusEvent) => unknown;

/** One subscription: its patterns, handler, bounded queue and counters. Managed by the EventBus. */
export class Subscriber implements Subscription {
  readonly patterns: readonly string[];
  readonly name: string;
  readonly owner: string | undefined;
  readonly handler: Handler;
  readonly queue: BoundedQueue<BusEvent>;
  readonly policy: OverflowPolicy;
  readonly timeoutMs: number;
  active = true;
  scheduled = false;
  busy = false;
  delivered = 0;
  failed = 0;
  dropped = 0;
  readonly #onDispose: (subscriber: Subscriber) => void;

  constructor(
    onDispose: (subscriber: Subscriber) => void,
    patterns: readonly string[],
    handler: Handler,
    options: SubscribeOptions,
  ) {
    this.#onDispose = onDispose;
    this.patterns = patterns;
    this.handler = handler;
    this.name = options.name ?? patterns.join(',');
    this.owner = options.owner;
    this.queue = new BoundedQueue(Math.max(1, Math.floor(options.queueSize ?? 1000)));
    this.policy = options.overflow ?? 'drop-oldest';
    this.timeoutMs = options.handlerTimeoutMs ?? Number.POSITIVE_INFINITY;
  }

  get stats(): SubscriptionStats {
    return {
      delivered: this.delivered,
      failed: this.failed,
      dropped: this.dropped,
      queued: this.queue.length,
    };
  }

  matches(topic: string): boolean {
    for (const pattern of this.patterns) if (matches(pattern, topic)) return true;
    return false;
  }

  dispose(): void {
    if (!this.active) return;
    this.active = false;
    this.dropped += this.queue.length;
    this.queue.clear();
    this.#onDispose(this);
  }
}
