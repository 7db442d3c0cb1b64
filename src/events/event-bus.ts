import { JovianError } from '../errors.js';
import { type Disposable, toDisposable } from '../util/index.js';
import type {
  BusEvent,
  HandlerFailure,
  OverflowReport,
  SubscribeOptions,
  Subscription,
} from './event-types.js';
import { type Handler, Subscriber } from './subscriber.js';
import { validatePattern, validateTopic } from './topics.js';

/**
 * Publish/subscribe with wildcard topics. Delivery is asynchronous (never inside `emit`, so an emitter
 * is never blocked or re-entered), at most once, and in emit order per subscriber. Each subscriber has
 * its own bounded queue and works through it one event at a time, so a slow subscriber delays nobody
 * else and a stuck one cannot grow memory past its queue size. A handler that throws is reported and
 * keeps receiving later events.
 */
export class EventBus {
  #nextId = 1;
  readonly #subscribers: Subscriber[] = [];
  readonly #byTopic = new Map<string, Subscriber[]>();
  #ready: Subscriber[] = [];
  #drainScheduled = false;
  #busy = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #failureListeners = new Set<(failure: HandlerFailure) => void>();
  readonly #overflowListeners = new Set<(report: OverflowReport) => void>();
  // Plain counters for the metrics (read at scrape time): an increment is all emit() pays.
  #published = 0;
  #delivered = 0;
  #dropped = 0;

  /**
   * Publishes `payload` on `topic`. Returns at once; subscribers receive the event later.
   * @throws JOVIAN_E_EVENT_BAD_TOPIC
   */
  emit(topic: string, payload?: unknown, options: { source?: string } = {}): void {
    let targets = this.#byTopic.get(topic);
    if (targets === undefined) {
      validateTopic(topic);
      targets = this.#subscribers.filter((s) => s.matches(topic));
      if (this.#byTopic.size > 5_000) this.#byTopic.clear();
      this.#byTopic.set(topic, targets);
    }
    this.#published++;
    if (targets.length === 0) return;
    const event: BusEvent = { id: this.#nextId++, topic, payload, source: options.source, at: Date.now() };
    for (let i = 0; i < targets.length; i++) this.#enqueue(targets[i]!, event);
    if (!this.#drainScheduled && this.#ready.length > 0) {
      this.#drainScheduled = true;
      queueMicrotask(this.#drain);
    }
  }

  /**
   * Listens to one pattern or several (an event matching several is delivered once).
   * @throws JOVIAN_E_EVENT_BAD_TOPIC for a malformed pattern.
   */
  subscribe(
    pattern: string | readonly string[],
    handler: Handler,
    options: SubscribeOptions = {},
  ): Subscription {
    const patterns = typeof pattern === 'string' ? [pattern] : [...pattern];
    if (patterns.length === 0)
      throw new JovianError('JOVIAN_E_EVENT_BAD_TOPIC', 'a subscription needs at least one pattern');
    for (const p of patterns) validatePattern(p);
    const subscriber = new Subscriber(this.#remove, patterns, handler, options);
    this.#subscribers.push(subscriber);
    this.#byTopic.clear();
    return subscriber;
  }

  /** True when at least one subscription matches `topic` (cheap: lets emitters skip building payloads). */
  hasSubscribers(topic: string): boolean {
    let targets = this.#byTopic.get(topic);
    if (targets === undefined) {
      validateTopic(topic);
      targets = this.#subscribers.filter((s) => s.matches(topic));
      this.#byTopic.set(topic, targets);
    }
    return targets.length > 0;
  }

  /**
   * Since the bus was created: events published (with or without subscribers), deliveries queued for
   * subscribers, and deliveries dropped because a subscriber's queue was full.
   */
  get counts(): { published: number; delivered: number; dropped: number } {
    return { published: this.#published, delivered: this.#delivered, dropped: this.#dropped };
  }

  /** Subscribers whose patterns match `topic`, or all of them. */
  subscriberCount(topic?: string): number {
    return topic === undefined
      ? this.#subscribers.length
      : this.#subscribers.filter((s) => s.matches(topic)).length;
  }

  onFailure(listener: (failure: HandlerFailure) => void): Disposable {
    this.#failureListeners.add(listener);
    return toDisposable(() => this.#failureListeners.delete(listener));
  }

  onOverflow(listener: (report: OverflowReport) => void): Disposable {
    this.#overflowListeners.add(listener);
    return toDisposable(() => this.#overflowListeners.delete(listener));
  }

  /** Resolves once every queue is empty and no handler is running (events emitted meanwhile included). */
  flush(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Removes every subscription. */
  dispose(): void {
    for (const subscriber of [...this.#subscribers]) subscriber.dispose();
  }

  readonly #remove = (subscriber: Subscriber): void => {
    const index = this.#subscribers.indexOf(subscriber);
    if (index >= 0) this.#subscribers.splice(index, 1);
    this.#byTopic.clear();
    this.#checkIdle();
  };

  #enqueue(subscriber: Subscriber, event: BusEvent): void {
    if (!subscriber.active) return;
    if (subscriber.queue.full) {
      subscriber.dropped++;
      this.#dropped++;
      this.#reportOverflow(subscriber, event.topic);
      if (subscriber.policy === 'drop-newest') return;
      if (subscriber.policy === 'unsubscribe') {
        subscriber.dispose();
        return;
      }
      subscriber.queue.shift();
    }
    subscriber.queue.push(event);
    this.#delivered++;
    if (!subscriber.scheduled && !subscriber.busy) {
      subscriber.scheduled = true;
      this.#ready.push(subscriber);
    }
  }

  readonly #drain = (): void => {
    this.#drainScheduled = false;
    const ready = this.#ready;
    this.#ready = [];
    for (let i = 0; i < ready.length; i++) {
      const subscriber = ready[i]!;
      subscriber.scheduled = false;
      if (!subscriber.busy) this.#service(subscriber);
    }
    this.#checkIdle();
  };

  /** Delivers queued events to `subscriber` until its queue is empty or a handler goes asynchronous. */
  #service(subscriber: Subscriber): void {
    while (subscriber.active && subscriber.queue.length > 0) {
      const event = subscriber.queue.shift()!;
      let result: unknown;
      try {
        result = subscriber.handler(event);
      } catch (error) {
        this.#failed(subscriber, event, error);
        continue;
      }
      if (
        typeof result === 'object' &&
        result !== null &&
        typeof (result as PromiseLike<unknown>).then === 'function'
      ) {
        this.#await(subscriber, event, result as PromiseLike<unknown>);
        return;
      }
      subscriber.delivered++;
    }
  }

  #await(subscriber: Subscriber, event: BusEvent, pending: PromiseLike<unknown>): void {
    subscriber.busy = true;
    this.#busy++;
    let settled = false;
    const timer = Number.isFinite(subscriber.timeoutMs)
      ? setTimeout(() => {
          if (settled) return;
          settled = true;
          this.#failed(
            subscriber,
            event,
            new JovianError(
              'JOVIAN_E_EVENT_HANDLER_FAILED',
              `subscriber \`${subscriber.name}\` did not handle \`${event.topic}\` within ${subscriber.timeoutMs} ms`,
            ),
          );
          this.#resume(subscriber);
        }, subscriber.timeoutMs)
      : undefined;
    pending.then(
      () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        subscriber.delivered++;
        this.#resume(subscriber);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#failed(subscriber, event, error);
        this.#resume(subscriber);
      },
    );
  }

  #resume(subscriber: Subscriber): void {
    subscriber.busy = false;
    this.#busy--;
    this.#service(subscriber);
    this.#checkIdle();
  }

  #failed(subscriber: Subscriber, event: BusEvent, cause: unknown): void {
    subscriber.failed++;
    const error =
      cause instanceof JovianError && cause.code === 'JOVIAN_E_EVENT_HANDLER_FAILED'
        ? cause
        : new JovianError(
            'JOVIAN_E_EVENT_HANDLER_FAILED',
            `subscriber \`${subscriber.name}\` failed on \`${event.topic}\`: ${(cause as Error)?.message ?? String(cause)}`,
            { cause },
          );
    const failure: HandlerFailure = {
      name: subscriber.name,
      owner: subscriber.owner,
      topic: event.topic,
      error,
    };
    for (const listener of this.#failureListeners) {
      try {
        listener(failure);
      } catch {
        // A failing listener must not stop delivery.
      }
    }
  }

  #reportOverflow(subscriber: Subscriber, topic: string): void {
    const report: OverflowReport = {
      name: subscriber.name,
      owner: subscriber.owner,
      topic,
      policy: subscriber.policy,
      dropped: subscriber.dropped,
    };
    for (const listener of this.#overflowListeners) {
      try {
        listener(report);
      } catch {
        // ignored, as above
      }
    }
  }

  #idle(): boolean {
    return this.#busy === 0 && this.#ready.length === 0 && !this.#drainScheduled;
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#idle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
