import { JovianError } from '../errors.js';
import type { HookKind } from '../types.js';
import { HOOK_KINDS } from '../types.js';
import type { Disposable } from '../util/index.js';
import {
  AsyncParallelBailHook,
  AsyncParallelHook,
  AsyncSeriesBailHook,
  AsyncSeriesHook,
  AsyncSeriesWaterfallHook,
} from './async-hooks.js';
import type { HookInterceptor, HookOptions, TapFailure } from './hook-base.js';
import { SyncSeriesBailHook, SyncSeriesHook, SyncSeriesWaterfallHook } from './sync-hooks.js';
import type { TapInfo, TapOptions } from './tap.js';

/**
 * Any hook, seen without its type parameters (what the host stores in a `HookMap`). There is no
 * SyncParallel kind (synchronous code cannot run in parallel) and no AsyncParallelWaterfall (a
 * waterfall needs an order).
 */
export interface Hook {
  readonly name: string;
  readonly kind: HookKind;
  readonly strict: boolean;
  readonly timeoutMs: number;
  readonly taps: readonly TapInfo[];
  tap(options: string | TapOptions, fn: (...args: never[]) => unknown): Disposable;
  untap(name: string): boolean;
  replaceTap(name: string, fn: (...args: never[]) => unknown): void;
  isUsed(): boolean;
  intercept(interceptor: HookInterceptor<never>): Disposable;
  onTapFailure(listener: (failure: TapFailure) => void): Disposable;
  call(...args: never[]): unknown;
}

/** The hooks an application declares, by name. */
export type HookMap = Readonly<Record<string, Hook>>;

/** Builds a hook of `kind` (for hooks declared from data, such as configuration). */
export function createHook(kind: HookKind, options: HookOptions): Hook {
  switch (kind) {
    case 'SyncSeries':
      return new SyncSeriesHook<unknown[]>(options) as unknown as Hook;
    case 'SyncSeriesBail':
      return new SyncSeriesBailHook<unknown[]>(options) as unknown as Hook;
    case 'SyncSeriesWaterfall':
      return new SyncSeriesWaterfallHook<unknown>(options) as unknown as Hook;
    case 'AsyncSeries':
      return new AsyncSeriesHook<unknown[]>(options) as unknown as Hook;
    case 'AsyncSeriesBail':
      return new AsyncSeriesBailHook<unknown[]>(options) as unknown as Hook;
    case 'AsyncSeriesWaterfall':
      return new AsyncSeriesWaterfallHook<unknown>(options) as unknown as Hook;
    case 'AsyncParallel':
      return new AsyncParallelHook<unknown[]>(options) as unknown as Hook;
    case 'AsyncParallelBail':
      return new AsyncParallelBailHook<unknown[]>(options) as unknown as Hook;
    default:
      throw new JovianError('JOVIAN_E_HOOK_UNKNOWN', `unknown hook kind \`${String(kind)}\``, {
        hint: `kinds: ${HOOK_KINDS.join(', ')}`,
      });
  }
}

/** True for any Jovian hook. */
export function isHook(value: unknown): value is Hook {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Hook).tap === 'function' &&
    typeof (value as Hook).call === 'function' &&
    HOOK_KINDS.includes((value as Hook).kind)
  );
}
