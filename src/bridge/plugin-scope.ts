import type { ConfigChange, GuestCalls, JobOutcome, JobProgress, LogLevel, Port } from '../runtimes/index.js';
import type { Manifest } from '../types.js';
import type { Disposable } from '../util/index.js';
import type { ContributionRegistry } from './contribution-registry.js';
import type { ServiceScope } from './services/service-scope.js';

/** A plugin's configuration, as the bridge serves it. Implemented by the host over src/config. */
export interface ConfigAccess {
  get(key?: string): Promise<unknown>;
  /** Validates and writes; rejects with JOVIAN_E_CONFIG_INVALID and writes nothing on error. */
  set(key: string, value: unknown): Promise<void>;
  watch(listener: (change: ConfigChange) => void): Disposable;
}

export interface StateAccess {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  keys(): Promise<string[]>;
}

/**
 * The host's hook taps for one plugin. The host keeps one tap per (plugin, hook) from the moment the
 * plugin is enabled, so ordering never changes; binding swaps in the plugin's function.
 */
export interface HookSlots {
  /** @throws JOVIAN_E_HOOK_UNKNOWN, JOVIAN_E_RUNTIME_UNAVAILABLE (sync hook, isolated runtime) */
  bind(hook: string, tapId: number): void;
  unbind(hook: string, tapId: number): void;
}

/** The host's event delivery for one plugin. */
export interface EventSlots {
  subscribe(pattern: string, subscriptionId: number): void;
  unsubscribe(subscriptionId: number): void;
}

/** Other plugins, as one plugin may reach them. */
export interface PluginDirectoryAccess {
  has(id: string): boolean;
  /** Activates `id` and returns its API method names; null when `optional` and `id` cannot run. */
  describe(id: string, optional: boolean): Promise<string[] | null>;
  call(id: string, method: string, args: unknown[]): Promise<unknown>;
}

/** The host's jobs, as one plugin reaches them (its own handlers and jobs only). */
export interface JobAccess {
  /** Queues a job of this plugin's handler `name`; resolves with its id. */
  submit(name: string, params: unknown): Promise<string>;
  progress(jobId: string, progress: JobProgress): void;
  finish(jobId: string, outcome: JobOutcome): void;
}

/** Everything the bridge needs to serve one plugin's ctx. */
export interface PluginScope extends ServiceScope {
  readonly manifest: Manifest;
  log(level: LogLevel, message: string, data?: unknown): void;
  readonly config: ConfigAccess;
  readonly state: StateAccess;
  readonly hookSlots: HookSlots;
  readonly eventSlots: EventSlots;
  /** Publishes on the host bus with this plugin as the source. */
  emit(topic: string, payload: unknown): void;
  readonly directory: PluginDirectoryAccess;
  /** Binds the handlers of declared contributions (commands, routes, panels). */
  readonly contributions: Pick<ContributionRegistry, 'bind' | 'unbind'>;
  readonly jobs: JobAccess;
  /** The plugin's side of the boundary; available once the runtime has loaded it. */
  guest(): Port<GuestCalls>;
}
