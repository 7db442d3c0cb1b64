import { WATERFALLS } from './generated/waterfall-dispatchers.js';
import { type Compiled, HookBase, isThenable } from './hook-base.js';
import { RESUME, ReturnedPromise, type WaterfallOwner } from './waterfall-support.js';

/** Swallows a promise returned by mistake so that its rejection is never unhandled. */
function ignore(value: PromiseLike<unknown>): void {
  Promise.resolve(value).catch(() => undefined);
}

type SeriesFn<Args extends unknown[]> = (...args: Args) => unknown;

/**
 * Calls every tap in order with the same arguments; results are ignored. A tap that throws is
 * reported and skipped (or fails the call, for a strict hook).
 */
export class SyncSeriesHook<Args extends unknown[] = []> extends HookBase<SeriesFn<Args>, Args> {
  readonly kind = 'SyncSeries' as const;

  call(...args: Args): void {
    const c = this.compiled();
    if (c.traced) this.notifyCall(args);
    const { fns, infos } = c;
    for (let i = 0; i < fns.length; i++) {
      const started = c.traced ? this.#begin(c, i) : 0;
      let result: unknown;
      try {
        result = fns[i]!(...args);
      } catch (error) {
        this.#failed(c, i, error, 'threw');
        continue;
      }
      if (isThenable(result)) {
        ignore(result);
        this.#failed(c, i, undefined, 'promise');
        continue;
      }
      if (c.traced) this.notifyResult(infos[i]!, result, performance.now() - started);
    }
    if (c.traced) this.notifyDone(undefined);
  }

  #begin(c: Compiled<SeriesFn<Args>>, i: number): number {
    this.notifyTap(c.infos[i]!);
    return performance.now();
  }

  #failed(c: Compiled<SeriesFn<Args>>, i: number, error: unknown, kind: 'threw' | 'promise'): void {
    const failure = this.fail(c, i, error, kind);
    if (this.strict) throw failure;
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: a tap with only side effects returns void, which means "no answer" / "keep the value".
type BailFn<Args extends unknown[], R> = (...args: Args) => R | undefined | void;

/** Calls taps in order until one returns something other than undefined, and returns that. */
export class SyncSeriesBailHook<Args extends unknown[] = [], R = unknown> extends HookBase<
  BailFn<Args, R>,
  Args
> {
  readonly kind = 'SyncSeriesBail' as const;

  call(...args: Args): R | undefined {
    const c = this.compiled();
    if (c.traced) this.notifyCall(args);
    const { fns, infos } = c;
    for (let i = 0; i < fns.length; i++) {
      if (c.traced) this.notifyTap(infos[i]!);
      const started = c.traced ? performance.now() : 0;
      let result: unknown;
      try {
        result = fns[i]!(...args);
      } catch (error) {
        const failure = this.fail(c, i, error, 'threw');
        if (this.strict) throw failure;
        continue;
      }
      if (isThenable(result)) {
        ignore(result);
        const failure = this.fail(c, i, undefined, 'promise');
        if (this.strict) throw failure;
        continue;
      }
      if (c.traced) this.notifyResult(infos[i]!, result, performance.now() - started);
      if (result !== undefined) {
        if (c.traced) this.notifyDone(result);
        return result as R;
      }
    }
    if (c.traced) this.notifyDone(undefined);
    return undefined;
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: a tap with only side effects returns void, which means "no answer" / "keep the value".
type WaterfallFn<T, Rest extends unknown[]> = (value: T, ...rest: Rest) => T | undefined | void;

/**
 * Passes a value through every tap: each gets the previous tap's result (undefined keeps the value);
 * the last value is returned. A failing tap is skipped and the chain goes on with the value it received.
 * Up to 12 taps without extra arguments and without interceptors, calls go through a generated
 * straight-line dispatcher (scripts/generate.ts): one call site per tap, as tapable's code generation
 * gives, without generating code at run time.
 */
export class SyncSeriesWaterfallHook<T, Rest extends unknown[] = []>
  extends HookBase<WaterfallFn<T, Rest>, [T, ...Rest]>
  implements WaterfallOwner
{
  readonly kind = 'SyncSeriesWaterfall' as const;

  call(value: T, ...rest: Rest): T {
    const c = this.compiled();
    const dispatch = c.traced || rest.length !== 0 ? undefined : WATERFALLS[c.fns.length];
    if (dispatch === undefined) return this.#loop(c, value, rest, 0);
    return dispatch(this, c, c.fns as unknown as readonly ((v: unknown) => unknown)[], value) as T;
  }

  [RESUME](compiled: object, index: number, value: unknown, error: unknown): unknown {
    const c = compiled as Compiled<WaterfallFn<T, Rest>>;
    this.#failed(c, index, error);
    return this.#loop(c, value as T, [] as unknown as Rest, index + 1);
  }

  #loop(c: Compiled<WaterfallFn<T, Rest>>, value: T, rest: Rest, start: number): T {
    const { fns, infos, traced } = c;
    if (traced && start === 0) this.notifyCall([value, ...rest]);
    let v = value;
    for (let i = start; i < fns.length; i++) {
      if (traced) this.notifyTap(infos[i]!);
      const started = traced ? performance.now() : 0;
      let result: unknown;
      try {
        result = fns[i]!(v, ...rest);
        if (isThenable(result)) throw new ReturnedPromise(result);
      } catch (error) {
        this.#failed(c, i, error);
        continue;
      }
      if (result !== undefined) v = result as T;
      if (traced) this.notifyResult(infos[i]!, result, performance.now() - started);
    }
    if (traced) this.notifyDone(v);
    return v;
  }

  #failed(c: Compiled<WaterfallFn<T, Rest>>, i: number, error: unknown): void {
    const returnedPromise = error instanceof ReturnedPromise;
    if (returnedPromise) ignore(error.value);
    const failure = this.fail(
      c,
      i,
      returnedPromise ? undefined : error,
      returnedPromise ? 'promise' : 'threw',
    );
    if (this.strict) throw failure;
  }
}
