import type { Manifest, RuntimeKind } from '../types.js';
import type { GuestCalls, Handlers, HostCalls, Port } from './rpc/channel.js';
import type { PluginDefinition, PluginPaths } from './rpc/plugin-api.js';

/** What starting a plugin needs. */
export interface RuntimeLaunch {
  readonly manifest: Manifest;
  /** The plugin folder (absolute). */
  readonly dir: string;
  /** The entry module (absolute). */
  readonly entry: string;
  /** The plugin's folders, given to it as ctx.paths. */
  readonly paths: PluginPaths;
  /** A definition already in memory (core and legacy plugins): the entry is not loaded again. */
  readonly definition?: PluginDefinition | undefined;
  /** The host's answers to the plugin's ctx calls (permission-checked by the bridge). */
  readonly host: Handlers<HostCalls>;
  /** Structured-clone every value crossing the boundary, even in-process (strict mode). */
  readonly clone: boolean;
  /** Appended to the module URL to load a fresh copy (hot reload). */
  readonly cacheBust?: string | undefined;
}

/** A loaded plugin, as the host drives it. */
export interface PluginInstance {
  /** Calls into the plugin. */
  readonly guest: Port<GuestCalls>;
  /**
   * The plugin's own tap function when the runtime can call it directly and synchronously
   * (in-process only); undefined elsewhere, where taps go through `guest.call('tap.invoke')`.
   */
  tapFunction(tapId: number): ((...args: unknown[]) => unknown) | undefined;
  /** Releases what the runtime holds (threads, processes, module references). */
  dispose(): Promise<void>;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  load(launch: RuntimeLaunch): Promise<PluginInstance>;
}
