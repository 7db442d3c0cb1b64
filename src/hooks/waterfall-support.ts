/** Thrown inside a fast path when a synchronous tap returns a promise; caught before it escapes. */
export class ReturnedPromise {
  constructor(readonly value: PromiseLike<unknown>) {}
}

/** The method a generated dispatcher calls when tap `index` failed (module-private by symbol). */
export const RESUME: unique symbol = Symbol('jovian.hooks.resume');

/** What generated dispatchers need from their hook. */
export interface WaterfallOwner {
  /** Reports tap `index` of `compiled` as failed and finishes the call from tap `index + 1` with `value`. */
  [RESUME](compiled: object, index: number, value: unknown, error: unknown): unknown;
}
