import { JovianError } from '../errors.js';
import type { HookKind } from '../types.js';
import { type Disposable, toDisposable } from '../util/index.js';
import { insertTap, normaliseTap, type Tap, type TapInfo, type TapOptions } from './tap.js';
import { watchdog } from './watchdog.js';

/** Observes a hook: feeds metrics, tracing and the `jovian chat` trace. Every member is optional. */
export interface HookInterceptor<Args extends unknown[] = unknown[]> {
  readonly name?: string;
  /** On registration; may return a replacement (to change a tap's stage, for example). */
  register?(tap: TapInfo): TapInfo | undefined;
  /** At the start of each call. */
  call?(args: Args): void;
  /** Before each tap runs. */
  tap?(tap: TapInfo): void;
  /** After each tap that succeeded, with what it returned. */
  result?(tap: TapInfo, value: unknown, durationMs: number): void;
  /** After each tap that failed (threw, rejected, timed out). */
  error?(tap: TapInfo, error: JovianError): void;
  /** At the end of each call that completed, with the call's result. */
  done?(result: unknown): void;
}

/** A tap failure, as the failure listeners receive it. */
export interface TapFailure {
  readonly hook: string;
  readonly tap: string;
  readonly owner?: string | undefined;
  readonly error: JovianError;
}

export interface HookOptions {
  readonly name: string;
  /** A strict hook fails the whole call when a tap fails; default false (the tap is skipped). */
  readonly strict?: boolean;
  /** Deadline of one asynchronous tap call (ms); default 5 000. Ignored by synchronous hooks. */
  readonly timeoutMs?: number;
}

export type TapFunction = (...args: never[]) => unknown;

/** The dispatch data built from the taps; rebuilt only after a change. */
export interface Compiled<F> {
  readonly fns: readonly F[];
  readonly infos: readonly TapInfo[];
  /** Per tap, its deadline in watchdog ticks. */
  readonly limits: readonly number[];
  /** True when interceptors are present: calls take the instrumented path. */
  readonly traced: boolean;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * What every hook kind shares: named taps ordered by stage and `before`, interceptors, failure
 * reporting, and the dispatch cache (rebuilt lazily after a change, never per call).
 */
export abstract class HookBase<F extends TapFunction, Args extends unknown[] = unknown[]> {
  abstract readonly kind: HookKind;
  readonly name: string;
  readonly strict: boolean;
  readonly timeoutMs: number;
  readonly #taps: Tap<F>[] = [];
  readonly #interceptors: HookInterceptor<Args>[] = [];
  readonly #failureListeners = new Set<(failure: TapFailure) => void>();
  #compiled: Compiled<F> | undefined;

  constructor(options: HookOptions) {
    if (typeof options?.name !== 'string' || options.name === '') {
      throw new JovianError('JOVIAN_E_HOOK_BAD_TAP', 'a hook needs a name', {
        hint: 'new AsyncSeriesHook({ name: "my_hook" })',
      });
    }
    this.name = options.name;
    this.strict = options.strict ?? false;
    this.timeoutMs =
      options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
  }

  /**
   * Adds a tap. Disposing the result removes it.
   * @throws JOVIAN_E_HOOK_BAD_TAP for a missing or duplicate name.
   */
  tap(options: string | TapOptions, fn: F): Disposable {
    let info = normaliseTap(this.name, options);
    if (typeof fn !== 'function')
      throw new JovianError(
        'JOVIAN_E_HOOK_BAD_TAP',
        `tap \`${info.name}\` of hook \`${this.name}\` is not a function`,
      );
    if (this.#taps.some((t) => t.info.name === info.name)) {
      throw new JovianError(
        'JOVIAN_E_HOOK_BAD_TAP',
        `hook \`${this.name}\` already has a tap named \`${info.name}\``,
        {
          hint: 'give each tap a unique name, or untap the previous one first',
        },
      );
    }
    for (const interceptor of this.#interceptors)
      info = this.#guard(interceptor, () => interceptor.register?.(info)) ?? info;
    const tap: Tap<F> = { info, fn };
    insertTap(this.#taps, tap);
    this.#compiled = undefined;
    return toDisposable(() => {
      const index = this.#taps.indexOf(tap);
      if (index >= 0) {
        this.#taps.splice(index, 1);
        this.#compiled = undefined;
      }
    });
  }

  /** Removes the tap named `name`; false when there is none. */
  untap(name: string): boolean {
    const index = this.#taps.findIndex((t) => t.info.name === name);
    if (index < 0) return false;
    this.#taps.splice(index, 1);
    this.#compiled = undefined;
    return true;
  }

  /**
   * Swaps the function of tap `name`, keeping its place and options.
   * @throws JOVIAN_E_HOOK_BAD_TAP when there is no such tap.
   */
  replaceTap(name: string, fn: F): void {
    const tap = this.#taps.find((t) => t.info.name === name);
    if (!tap)
      throw new JovianError('JOVIAN_E_HOOK_BAD_TAP', `hook \`${this.name}\` has no tap named \`${name}\``);
    tap.fn = fn;
    this.#compiled = undefined;
  }

  /** The taps in call order. */
  get taps(): readonly TapInfo[] {
    return this.#taps.map((t) => t.info);
  }

  isUsed(): boolean {
    return this.#taps.length > 0;
  }

  intercept(interceptor: HookInterceptor<Args>): Disposable {
    this.#interceptors.push(interceptor);
    this.#compiled = undefined;
    return toDisposable(() => {
      const index = this.#interceptors.indexOf(interceptor);
      if (index >= 0) {
        this.#interceptors.splice(index, 1);
        this.#compiled = undefined;
      }
    });
  }

  /** Called for every tap failure (the host charges it to the tap's owner). Listeners must not throw. */
  onTapFailure(listener: (failure: TapFailure) => void): Disposable {
    this.#failureListeners.add(listener);
    return toDisposable(() => this.#failureListeners.delete(listener));
  }

  /** The dispatch data, built on the first call after a change. */
  protected compiled(): Compiled<F> {
    let compiled = this.#compiled;
    if (compiled === undefined) {
      const infos = this.#taps.map((t) => t.info);
      compiled = {
        fns: this.#taps.map((t) => t.fn),
        infos,
        limits: infos.map((info) => watchdog.ticksFor(info.timeoutMs ?? this.timeoutMs)),
        traced: this.#interceptors.length > 0,
      };
      this.#compiled = compiled;
    }
    return compiled;
  }

  /**
   * Reports the failure of tap `index` to interceptors and listeners and returns it as a JovianError.
   * `kind`: `threw` (a throw or rejection), `timeout`, or `promise` (a synchronous tap returned a promise).
   */
  protected fail(
    compiled: Compiled<F>,
    index: number,
    cause: unknown,
    kind: 'threw' | 'timeout' | 'promise',
  ): JovianError {
    const info = compiled.infos[index]!;
    const where = `hook \`${this.name}\` tap \`${info.name}\``;
    const error =
      kind === 'timeout'
        ? new JovianError(
            'JOVIAN_E_HOOK_TAP_TIMEOUT',
            `${where} did not finish within ${info.timeoutMs ?? this.timeoutMs} ms`,
          )
        : kind === 'promise'
          ? new JovianError(
              'JOVIAN_E_HOOK_BAD_TAP',
              `${where} returned a promise, but \`${this.name}\` is synchronous`,
              {
                hint: 'tap it with a synchronous function, or ask the host for an asynchronous hook',
              },
            )
          : new JovianError(
              'JOVIAN_E_HOOK_TAP_FAILED',
              `${where} threw: ${cause instanceof Error ? cause.message : String(cause)}`,
              { cause },
            );
    for (const interceptor of this.#interceptors)
      this.#guard(interceptor, () => interceptor.error?.(info, error));
    const failure: TapFailure = { hook: this.name, tap: info.name, owner: info.owner, error };
    for (const listener of this.#failureListeners) {
      try {
        listener(failure);
      } catch {
        // A failing listener must not turn one tap's failure into a failed call.
      }
    }
    return error;
  }

  /** Interceptor notifications for the instrumented path. */
  protected notifyCall(args: Args): void {
    for (const interceptor of this.#interceptors) this.#guard(interceptor, () => interceptor.call?.(args));
  }

  protected notifyTap(info: TapInfo): void {
    for (const interceptor of this.#interceptors) this.#guard(interceptor, () => interceptor.tap?.(info));
  }

  protected notifyResult(info: TapInfo, value: unknown, durationMs: number): void {
    for (const interceptor of this.#interceptors)
      this.#guard(interceptor, () => interceptor.result?.(info, value, durationMs));
  }

  protected notifyDone(result: unknown): void {
    for (const interceptor of this.#interceptors) this.#guard(interceptor, () => interceptor.done?.(result));
  }

  /** Runs an interceptor callback; one that throws is reported (tap `interceptor:<name>`) and ignored. */
  #guard<T>(interceptor: HookInterceptor<Args>, run: () => T): T | undefined {
    try {
      return run();
    } catch (cause) {
      const error = new JovianError(
        'JOVIAN_E_HOOK_TAP_FAILED',
        `interceptor \`${interceptor.name ?? 'anonymous'}\` of hook \`${this.name}\` threw: ${(cause as Error)?.message}`,
        { cause },
      );
      for (const listener of this.#failureListeners) {
        try {
          listener({ hook: this.name, tap: `interceptor:${interceptor.name ?? 'anonymous'}`, error });
        } catch {
          // ignored, as above
        }
      }
      return undefined;
    }
  }
}

/** True for promises and other thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
