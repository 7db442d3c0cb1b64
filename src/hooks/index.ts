export {
  AsyncParallelBailHook,
  AsyncParallelHook,
  AsyncSeriesBailHook,
  AsyncSeriesHook,
  AsyncSeriesWaterfallHook,
} from './async-hooks.js';
export { createHook, type Hook, type Hook as AnyHook, type HookMap, isHook } from './create-hook.js';
export type { HookInterceptor, HookOptions, TapFailure } from './hook-base.js';
export {
  SyncSeriesBailHook,
  SyncSeriesBailHook as SyncBailHook,
  SyncSeriesHook,
  SyncSeriesHook as SyncHook,
  SyncSeriesWaterfallHook,
  SyncSeriesWaterfallHook as SyncWaterfallHook,
} from './sync-hooks.js';
export type { TapInfo, TapOptions } from './tap.js';
