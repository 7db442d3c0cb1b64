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
  /**
   * The plugin's code as text, run instead of reading `entry` (runtimes whose instances report
   * `source`): hot reload runs the previous version from memory after a failed reload.
   */
  readonly source?: string | undefined;
  /** Where the plugin's own output goes (stdout/stderr lines of isolated runtimes, watchdog notes). */
  readonly output?: ((level: 'info' | 'warn' | 'error', line: string) => void) | undefined;
  /** Deadline of each call into an isolated plugin (ms); missing it terminates the plugin. */
  readonly callDeadlineMs?: number | undefined;
  /** How often an isolated plugin is sent `$/ping` (ms); undefined: never. */
  readonly livenessIntervalMs?: number | undefined;
  /** How long an isolated plugin may take to start talking the protocol (ms). */
  readonly startDeadlineMs: number;
}

/** How an isolated plugin ended. */
export interface InstanceExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** In words: "exited with code 1", "killed by SIGKILL", "out of memory (limits.memory_mb)". */
  readonly reason: string;
  readonly error?: Error | undefined;
  /** The last lines it wrote to stdout and stderr. */
  readonly output: readonly string[];
  /**
   * The plugin did nothing wrong: it shared a thread with a plugin that had to be stopped (the Lua
   * worker). The host starts it again at once, without counting a failure.
   */
  readonly collateral?: boolean | undefined;
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
  /**
   * True when every call into the plugin is held to `RuntimeLaunch.callDeadlineMs` by the runtime
   * itself (isolated runtimes), so the host sets no deadline of its own.
   */
  readonly enforcesCallDeadlines?: boolean | undefined;
  /**
   * The code this instance runs, as text, when the runtime can run it again from memory (Lua): the
   * host keeps it so that a failed reload can go back to it although the file has changed.
   */
  readonly source?: string | undefined;
  /** The process id, for plugins in their own process (shown in `plugins info`, used by tests). */
  readonly pid?: number | undefined;
  /**
   * Called once if the plugin's thread or process ends (never for in-process plugins). After
   * dispose() the call may still come, with the reason the host gave.
   */
  onExit(listener: (exit: InstanceExit) => void): void;
  /** Releases what the runtime holds (threads, processes, module references). */
  dispose(): Promise<void>;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  load(launch: RuntimeLaunch): Promise<PluginInstance>;
}
