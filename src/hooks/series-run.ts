import type { JovianError } from '../errors.js';
import type { Compiled, TapFunction } from './hook-base.js';
import { type Watched, watchdog } from './watchdog.js';

export const SERIES = 0;
export const BAIL = 1;
export const WATERFALL = 2;
export type SeriesMode = typeof SERIES | typeof BAIL | typeof WATERFALL;

/** What a run needs from its hook (protected members, passed in explicitly). */
export interface SeriesHost {
  readonly strict: boolean;
  fail(c: Compiled<TapFunction>, index: number, cause: unknown, kind: 'threw' | 'timeout'): JovianError;
  notifyTap(index: number): void;
  notifyResult(index: number, value: unknown, durationMs: number): void;
  notifyDone(result: unknown): void;
}

type Call = (...args: unknown[]) => unknown;

// A single executor for every run's promise: no closure is allocated per call to capture resolvers.
let capturedResolve: (value: unknown) => void = () => undefined;
let capturedReject: (error: unknown) => void = () => undefined;
const capture = (resolve: (value: unknown) => void, reject: (error: unknown) => void): void => {
  capturedResolve = resolve;
  capturedReject = reject;
};

const pool: SeriesRun[] = [];
const POOL_LIMIT = 64;

/**
 * One call of an asynchronous series hook, as a small state machine instead of an async function: a
 * tap's promise is followed with two callbacks bound once per run object, and a hung tap is abandoned by
 * the shared watchdog (`check`), which an `await` could not do. After a timeout the run switches to
 * per-tap callbacks so that a late settlement of the abandoned tap is recognised and ignored.
 *
 * Runs are pooled: a finished run whose every tap settled can receive no further callback, so it is
 * reused; a run that abandoned a tap never returns to the pool.
 */
export class SeriesRun implements Watched {
  done = false;
  watched = false;
  #host!: SeriesHost;
  #c!: Compiled<TapFunction>;
  #mode: SeriesMode = SERIES;
  #args: unknown[] = [];
  #resolve: (value: unknown) => void = capturedResolve;
  #reject: (error: unknown) => void = capturedReject;
  #index = 0;
  #pending = false;
  #abandoned = false;
  #started = 0;
  /** The tap index the watchdog last saw pending, and the tick it first saw it. */
  #seenIndex = -1;
  #seenSince = 0;

  /** Starts a run (from the pool when possible) and returns the call's promise. */
  static start(
    host: SeriesHost,
    c: Compiled<TapFunction>,
    mode: SeriesMode,
    args: unknown[],
  ): Promise<unknown> {
    const run = pool.pop() ?? new SeriesRun();
    const promise = new Promise(capture);
    run.#host = host;
    run.#c = c;
    run.#mode = mode;
    run.#args = args;
    run.#resolve = capturedResolve;
    run.#reject = capturedReject;
    run.#index = 0;
    run.#pending = false;
    run.#abandoned = false;
    run.#seenIndex = -1;
    run.done = false;
    run.#step();
    return promise;
  }

  readonly #onResolved = (value: unknown): void => {
    if (this.#abandoned || !this.#pending) return;
    this.#pending = false;
    if (!this.#accept(value)) this.#step();
  };

  readonly #onRejected = (error: unknown): void => {
    if (this.#abandoned || !this.#pending) return;
    this.#pending = false;
    if (!this.#failed(error, 'threw')) this.#step();
  };

  /** On each watchdog tick: abandons the current tap once its deadline has passed. */
  check(tick: number): void {
    if (!this.#pending || this.done) return;
    if (this.#seenIndex !== this.#index) {
      this.#seenIndex = this.#index;
      this.#seenSince = tick;
      return;
    }
    if (tick - this.#seenSince <= this.#c.limits[this.#index]!) return;
    this.#pending = false;
    this.#abandoned = true;
    if (!this.#failed(undefined, 'timeout')) this.#step();
  }

  #step(): void {
    const { fns, traced } = this.#c;
    const args = this.#args;
    const arity = args.length;
    while (this.#index < fns.length) {
      const index = this.#index;
      const fn = fns[index] as Call;
      if (traced) {
        this.#host.notifyTap(index);
        this.#started = performance.now();
      }
      let result: unknown;
      try {
        result = arity === 1 ? fn(args[0]) : arity === 0 ? fn() : fn(...args);
      } catch (error) {
        if (this.#failed(error, 'threw')) return;
        continue;
      }
      if (result instanceof Promise || isThenable(result)) {
        this.#pending = true;
        if (!this.watched) watchdog.watch(this);
        if (this.#abandoned) {
          (result as PromiseLike<unknown>).then(
            (value) => this.#late(index, value, false),
            (error) => this.#late(index, error, true),
          );
        } else {
          (result as PromiseLike<unknown>).then(this.#onResolved, this.#onRejected);
        }
        return;
      }
      if (this.#accept(result)) return;
    }
    this.#finish(this.#mode === WATERFALL ? args[0] : undefined);
  }

  #late(index: number, outcome: unknown, rejected: boolean): void {
    if (!this.#pending || this.#index !== index || this.done) return;
    this.#pending = false;
    const ended = rejected ? this.#failed(outcome, 'threw') : this.#accept(outcome);
    if (!ended) this.#step();
  }

  /** Takes a tap's result; true when the run ended (a bail). */
  #accept(value: unknown): boolean {
    const index = this.#index++;
    if (this.#c.traced) this.#host.notifyResult(index, value, performance.now() - this.#started);
    if (value === undefined || this.#mode === SERIES) return false;
    if (this.#mode === WATERFALL) {
      this.#args[0] = value;
      return false;
    }
    this.#finish(value);
    return true;
  }

  /** Reports the current tap's failure; true when the run ended (strict hook). */
  #failed(cause: unknown, kind: 'threw' | 'timeout'): boolean {
    const error = this.#host.fail(this.#c, this.#index++, cause, kind);
    if (!this.#host.strict) return false;
    this.done = true;
    const reject = this.#reject;
    this.#release();
    reject(error);
    return true;
  }

  #finish(result: unknown): void {
    this.done = true;
    if (this.#c.traced) this.#host.notifyDone(result);
    const resolve = this.#resolve;
    this.#release();
    resolve(result);
  }

  #release(): void {
    this.#args = [];
    if (!this.#abandoned && pool.length < POOL_LIMIT) pool.push(this);
  }
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
