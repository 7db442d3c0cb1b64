import type { HookSlots } from '../bridge/index.js';
import { JovianError } from '../errors.js';
import type { AnyHook, HookMap } from '../hooks/index.js';
import type { LatencyCell } from '../observability/index.js';
import type { PluginInstance } from '../runtimes/index.js';
import type { Manifest } from '../types.js';

type TapFn = (...args: unknown[]) => unknown;
const passthrough: TapFn = () => undefined;

/**
 * The taps of one plugin. From the moment the plugin can run, the host keeps exactly one tap per hook
 * it declares, named after the plugin and placed by the manifest's `stage` / `before`, so a plugin's
 * position never moves. Its function is swapped (never re-tapped):
 * - inactive: a placeholder that activates the plugin (`onHook:<hook>`) and then forwards the call;
 * - active and tapped: the plugin's own function (called directly in-process, so dispatch stays fast);
 * - active but not tapped: a pass-through.
 * Synchronous hooks cannot wait for an activation, so their placeholder passes through; the host
 * activates plugins that tap synchronous hooks at start-up.
 */
export class PluginHookSlots implements HookSlots {
  readonly #manifest: Manifest;
  readonly #hooks: HookMap;
  readonly #activate: (event: string) => Promise<void>;
  readonly #instance: () => PluginInstance | undefined;
  readonly #used: () => void;
  readonly #measure: TapMeasures;
  #paused = false;
  readonly #installed = new Map<string, AnyHook>();
  readonly #bound = new Map<string, { tapId: number; fn: TapFn }>();

  constructor(
    manifest: Manifest,
    hooks: HookMap,
    activate: (event: string) => Promise<void>,
    instance: () => PluginInstance | undefined,
    used: () => void,
    measure: TapMeasures,
  ) {
    this.#manifest = manifest;
    this.#hooks = hooks;
    this.#activate = activate;
    this.#instance = instance;
    this.#used = used;
    this.#measure = measure;
  }

  /** Hooks among the declared ones that are synchronous (their plugin must start with the host). */
  get syncHooks(): string[] {
    return this.#manifest.contributes.hooks.map((t) => t.name).filter((name) => isSync(this.#hooks[name]));
  }

  /** Taps every declared hook the host knows (unknown ones are reported at load, see unknown-hooks.ts). */
  install(): void {
    for (const declared of this.#manifest.contributes.hooks) {
      const hook = this.#hooks[declared.name];
      if (!hook) continue;
      if (this.#installed.has(declared.name)) continue;
      hook.tap(
        {
          name: this.#manifest.id,
          stage: declared.stage,
          before: [...declared.before],
          owner: this.#manifest.id,
          timeoutMs: this.#manifest.limits.timeout_ms,
        },
        this.#placeholder(declared.name, hook) as never,
      );
      this.#installed.set(declared.name, hook);
    }
  }

  /** Removes every tap (the plugin can no longer run: disabled, blocked, failed). */
  uninstall(): void {
    for (const hook of this.#installed.values()) hook.untap(this.#manifest.id);
    this.#installed.clear();
    this.#bound.clear();
  }

  /** Puts the placeholders back (the plugin stopped but may be activated again). */
  reset(): void {
    this.#bound.clear();
    this.#paused = false;
    for (const [name, hook] of this.#installed)
      hook.replaceTap(this.#manifest.id, this.#placeholder(name, hook) as never);
  }

  /** Hook calls pass the plugin by (it is suspended); its taps are kept for resume(). */
  pause(): void {
    this.#paused = true;
    for (const hook of this.#installed.values()) hook.replaceTap(this.#manifest.id, passthrough as never);
  }

  resume(): void {
    this.#paused = false;
    for (const [name, hook] of this.#installed)
      hook.replaceTap(this.#manifest.id, (this.#bound.get(name)?.fn ?? passthrough) as never);
  }

  /** Calls this plugin's own tap of `hookName`, if it has one, as the hook would (hot reload). */
  callOwn(hookName: string, args: readonly unknown[]): Promise<unknown> {
    const bound = this.#bound.get(hookName);
    return bound ? Promise.resolve(bound.fn(...args)) : Promise.resolve(undefined);
  }

  bind(hookName: string, tapId: number): void {
    const hook = this.#hooks[hookName];
    if (!hook) {
      throw new JovianError('JOVIAN_E_HOOK_UNKNOWN', `this host has no hook \`${hookName}\``, {
        hint: `hooks of this host: ${Object.keys(this.#hooks).join(', ') || 'none'}`,
      });
    }
    const instance = this.#instance();
    if (!instance)
      throw new JovianError(
        'JOVIAN_E_INTERNAL',
        `plugin \`${this.#manifest.id}\` tapped \`${hookName}\` while not loaded`,
      );
    const direct = instance.tapFunction(tapId);
    if (!direct && isSync(hook)) {
      throw new JovianError(
        'JOVIAN_E_RUNTIME_UNAVAILABLE',
        `hook \`${hookName}\` is synchronous; runtime \`${this.#manifest.runtime}\` can only tap asynchronous hooks`,
        {
          hint: 'use runtime: inprocess for this plugin, or ask the host for an asynchronous hook',
        },
      );
    }
    // Across a boundary, `null` from a tap means "no answer" too: guests written in JSON-speaking
    // languages cannot return `undefined`, and a tap must mean the same thing in every runtime.
    const used = this.#used;
    // The series are looked up once here, so a call only adds to numbers (see LatencyCell).
    const cell = this.#measure.hook(hookName);
    const rpc = direct ? undefined : this.#measure.rpc();
    const fn: TapFn = direct
      ? (...args: unknown[]) => {
          used();
          const started = performance.now();
          let result: unknown;
          try {
            result = direct(...args);
          } catch (error) {
            cell.observe(performance.now() - started);
            throw error;
          }
          if (!isThenable(result)) {
            cell.observe(performance.now() - started);
            return result;
          }
          return result.then(
            (value) => {
              cell.observe(performance.now() - started);
              return value;
            },
            (error: unknown) => {
              cell.observe(performance.now() - started);
              throw error;
            },
          );
        }
      : (...args: unknown[]) => {
          used();
          const started = performance.now();
          const done = () => {
            const ms = performance.now() - started;
            cell.observe(ms);
            rpc?.observe(ms);
          };
          return instance.guest.call('tap.invoke', tapId, args).then(
            (result) => {
              done();
              return result === null ? undefined : result;
            },
            (error: unknown) => {
              done();
              throw error;
            },
          );
        };
    this.#bound.set(hookName, { tapId, fn });
    if (!this.#installed.has(hookName)) this.install();
    if (!this.#paused) hook.replaceTap(this.#manifest.id, fn as never);
  }

  unbind(hookName: string, tapId: number): void {
    if (this.#bound.get(hookName)?.tapId !== tapId) return;
    this.#bound.delete(hookName);
    if (!this.#paused) this.#installed.get(hookName)?.replaceTap(this.#manifest.id, passthrough as never);
  }

  #placeholder(hookName: string, hook: AnyHook): TapFn {
    if (isSync(hook)) return passthrough;
    return async (...args: unknown[]) => {
      await this.#activate(`onHook:${hookName}`);
      const bound = this.#bound.get(hookName);
      return bound ? bound.fn(...args) : undefined;
    };
  }
}

/** Where a plugin's taps record their durations: per hook, and per runtime for calls that cross a boundary. */
export interface TapMeasures {
  hook(hookName: string): LatencyCell;
  rpc(): LatencyCell;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

function isSync(hook: AnyHook | undefined): boolean {
  return hook?.kind.startsWith('Sync') === true;
}
