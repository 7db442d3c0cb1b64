import type { JovianError } from '../errors.js';
import { type Compiled, HookBase, type TapFunction } from './hook-base.js';
import { ParallelRun } from './parallel-run.js';
import { BAIL, SERIES, type SeriesHost, type SeriesMode, SeriesRun, WATERFALL } from './series-run.js';

type Awaitable<T> = T | PromiseLike<T>;

/** Shared by the asynchronous kinds: hands the runs access to the protected reporting methods. */
abstract class AsyncHookBase<F extends TapFunction, Args extends unknown[]> extends HookBase<F, Args> {
  #runHost: SeriesHost | undefined;

  protected get runHost(): SeriesHost {
    this.#runHost ??= {
      strict: this.strict,
      fail: (c, index, cause, kind) => this.fail(c as Compiled<F>, index, cause, kind) as JovianError,
      notifyTap: (index) => this.notifyTap(this.compiled().infos[index]!),
      notifyResult: (index, value, ms) => this.notifyResult(this.compiled().infos[index]!, value, ms),
      notifyDone: (result) => this.notifyDone(result),
    };
    return this.#runHost;
  }

  protected series(mode: SeriesMode, args: unknown[]): Promise<unknown> {
    const c = this.compiled();
    if (c.fns.length === 0) return Promise.resolve(mode === WATERFALL ? args[0] : undefined);
    if (c.traced) this.notifyCall(args as Args);
    return SeriesRun.start(this.runHost, c as unknown as Compiled<TapFunction>, mode, args);
  }

  protected parallel(bail: boolean, args: unknown[]): Promise<unknown> {
    const c = this.compiled();
    if (c.fns.length === 0) return Promise.resolve(undefined);
    if (c.traced) this.notifyCall(args as Args);
    return new ParallelRun(this.runHost, c as unknown as Compiled<TapFunction>, bail).start(args);
  }
}

type SeriesFn<Args extends unknown[]> = (...args: Args) => Awaitable<unknown>;

/** Calls every tap in order, waiting for each; results are ignored. */
export class AsyncSeriesHook<Args extends unknown[] = []> extends AsyncHookBase<SeriesFn<Args>, Args> {
  readonly kind = 'AsyncSeries' as const;

  call(...args: Args): Promise<void> {
    return this.series(SERIES, args) as Promise<void>;
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: a tap with only side effects returns void, which means "no answer" / "keep the value".
type BailFn<Args extends unknown[], R> = (...args: Args) => Awaitable<R | undefined | void>;

/** Calls taps in order until one resolves to something other than undefined, and resolves to that. */
export class AsyncSeriesBailHook<Args extends unknown[] = [], R = unknown> extends AsyncHookBase<
  BailFn<Args, R>,
  Args
> {
  readonly kind = 'AsyncSeriesBail' as const;

  call(...args: Args): Promise<R | undefined> {
    return this.series(BAIL, args) as Promise<R | undefined>;
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: a tap with only side effects returns void, which means "no answer" / "keep the value".
type WaterfallFn<T, Rest extends unknown[]> = (value: T, ...rest: Rest) => Awaitable<T | undefined | void>;

/** Passes a value through every tap in order, each awaited; resolves to the last value. */
export class AsyncSeriesWaterfallHook<T, Rest extends unknown[] = []> extends AsyncHookBase<
  WaterfallFn<T, Rest>,
  [T, ...Rest]
> {
  readonly kind = 'AsyncSeriesWaterfall' as const;

  call(value: T, ...rest: Rest): Promise<T> {
    return this.series(WATERFALL, rest.length === 0 ? [value] : [value, ...rest]) as Promise<T>;
  }
}

/** Starts every tap at once; resolves when all have settled (or been abandoned at their deadline). */
export class AsyncParallelHook<Args extends unknown[] = []> extends AsyncHookBase<SeriesFn<Args>, Args> {
  readonly kind = 'AsyncParallel' as const;

  call(...args: Args): Promise<void> {
    return this.parallel(false, args) as Promise<void>;
  }
}

/**
 * Starts every tap at once; resolves to the result of the earliest-registered tap that answered
 * (not the fastest), as soon as every tap before it has settled without answering.
 */
export class AsyncParallelBailHook<Args extends unknown[] = [], R = unknown> extends AsyncHookBase<
  BailFn<Args, R>,
  Args
> {
  readonly kind = 'AsyncParallelBail' as const;

  call(...args: Args): Promise<R | undefined> {
    return this.parallel(true, args) as Promise<R | undefined>;
  }
}
