import { type Compiled, isThenable, type TapFunction } from './hook-base.js';
import type { SeriesHost } from './series-run.js';
import { type Watched, watchdog } from './watchdog.js';

const PENDING = 0;
const SETTLED = 1;
const FAILED = 2;

/**
 * One call of an asynchronous parallel hook: every tap starts at once. Without `bail`, the call ends
 * when every tap has settled (or been abandoned at its deadline). With `bail`, it ends with the result
 * of the earliest-registered tap that returned something, as soon as every tap before it has settled
 * without answering — by registration order, not by speed.
 */
export class ParallelRun {
  readonly promise: Promise<unknown>;
  readonly #host: SeriesHost;
  readonly #c: Compiled<TapFunction>;
  readonly #bail: boolean;
  readonly #states: number[];
  readonly #results: unknown[];
  readonly #started: number[];
  #next = 0;
  #ended = false;
  #resolve!: (value: unknown) => void;
  #reject!: (error: unknown) => void;

  constructor(host: SeriesHost, c: Compiled<TapFunction>, bail: boolean) {
    this.#host = host;
    this.#c = c;
    this.#bail = bail;
    this.#states = new Array(c.fns.length).fill(PENDING);
    this.#results = new Array(c.fns.length);
    this.#started = new Array(c.fns.length).fill(0);
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  start(args: unknown[]): Promise<unknown> {
    const { fns, traced, limits } = this.#c;
    for (let index = 0; index < fns.length && !this.#ended; index++) {
      if (traced) {
        this.#host.notifyTap(index);
        this.#started[index] = performance.now();
      }
      let result: unknown;
      try {
        result = (fns[index] as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        this.#fail(index, error, 'threw');
        continue;
      }
      if (!isThenable(result)) {
        this.#settle(index, result);
        continue;
      }
      let since = -1;
      const entry: Watched = {
        done: false,
        watched: false,
        check: (tick) => {
          if (since < 0) since = tick;
          else if (tick - since > limits[index]!) {
            entry.done = true;
            this.#fail(index, undefined, 'timeout');
          }
        },
      };
      watchdog.watch(entry);
      result.then(
        (value) => {
          entry.done = true;
          this.#settle(index, value);
        },
        (error) => {
          entry.done = true;
          this.#fail(index, error, 'threw');
        },
      );
    }
    this.#advance();
    return this.promise;
  }

  #settle(index: number, value: unknown): void {
    if (this.#ended || this.#states[index] !== PENDING) return;
    this.#states[index] = SETTLED;
    this.#results[index] = value;
    if (this.#c.traced) this.#host.notifyResult(index, value, performance.now() - this.#started[index]!);
    this.#advance();
  }

  #fail(index: number, cause: unknown, kind: 'threw' | 'timeout'): void {
    if (this.#ended || this.#states[index] !== PENDING) return;
    this.#states[index] = FAILED;
    const error = this.#host.fail(this.#c, index, cause, kind);
    if (this.#host.strict) {
      this.#ended = true;
      this.#reject(error);
      return;
    }
    this.#advance();
  }

  #advance(): void {
    const states = this.#states;
    while (this.#next < states.length && states[this.#next] !== PENDING) {
      const index = this.#next++;
      if (this.#bail && states[index] === SETTLED && this.#results[index] !== undefined) {
        this.#end(this.#results[index]);
        return;
      }
    }
    if (this.#next === states.length) this.#end(undefined);
  }

  #end(result: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#c.traced) this.#host.notifyDone(result);
    this.#resolve(result);
  }
}
