/**
 * Waits for `work` at most `ms` milliseconds. On timeout the returned promise rejects with the error
 * made by `onTimeout` and `work` is left to settle on its own (its rejection is swallowed so it never
 * becomes an unhandled rejection). A deadline of `Infinity` or less than 0 disables the timer.
 * The timer keeps the process alive while `work` is pending — so a hung plugin is reported when its
 * deadline passes instead of the process exiting silently — and is cleared as soon as `work` settles.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  if (!Number.isFinite(ms) || ms < 0) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      work.catch(() => undefined);
      reject(onTimeout());
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Milliseconds elapsed since `start` (a `performance.now()` reading), rounded to 0.01 ms. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}
