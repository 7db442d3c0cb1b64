/**
 * The plugin API: what a plugin receives (`ctx`) and what it exports (`PluginDefinition`). It is the
 * same for every runtime, so every method is async and every value that crosses it must be
 * structured-cloneable (plain objects, arrays, strings, numbers, booleans, null, Date, Map, Set,
 * typed arrays). Functions never cross: callbacks stay on the plugin's side and the host calls them
 * back by id.
 */
import type { ErrorData } from '../../types.js';

/** Releases a registration. Resolves once the host has removed it. Disposing twice is harmless. */
export interface Registration {
  dispose(): Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A log line from a plugin, as the host stores and streams it. */
export interface PluginLogLine {
  readonly plugin: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly data?: unknown;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export interface PluginLogger {
  debug(message: string, data?: unknown): Promise<void>;
  info(message: string, data?: unknown): Promise<void>;
  warn(message: string, data?: unknown): Promise<void>;
  error(message: string, data?: unknown): Promise<void>;
}

export interface ConfigChange {
  /** Top-level keys whose value changed. */
  readonly keys: readonly string[];
  /** The whole effective config after the change. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** The plugin's configuration: schema defaults < its config.yaml < the project's overrides. */
export interface PluginConfig {
  /** The whole effective config (a copy). */
  get(): Promise<Record<string, unknown>>;
  /** One top-level key, or undefined. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Validates against config_schema and writes config.yaml atomically; rejects with JOVIAN_E_CONFIG_INVALID. */
  set(key: string, value: unknown): Promise<void>;
  onDidChange(listener: (change: ConfigChange) => void | Promise<void>): Promise<Registration>;
}

/** Persisted key/value state of the plugin (JSON values), kept in its data folder. */
export interface PluginStateApi {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  keys(): Promise<string[]>;
}

export interface PluginHooks {
  /**
   * Taps a host hook declared in the plugin's manifest (contributes.hooks, which also sets stage and
   * order). The function receives the hook's arguments; for waterfall hooks it returns the new value
   * (or undefined to keep it), for bail hooks a value to stop the chain.
   * @throws JOVIAN_E_HOOK_UNDECLARED, JOVIAN_E_HOOK_UNKNOWN
   */
  tap(hook: string, fn: (...args: never[]) => unknown): Promise<Registration>;
}

export interface BusEventData {
  readonly id: number;
  readonly topic: string;
  readonly payload: unknown;
  readonly source?: string | undefined;
  readonly at: number;
}

export interface PluginEvents {
  /** Publishes on a topic declared in contributes.events.emit. @throws JOVIAN_E_EVENT_UNDECLARED */
  emit(topic: string, payload?: unknown): Promise<void>;
  /** Listens to a pattern declared in contributes.events.subscribe. @throws JOVIAN_E_EVENT_UNDECLARED */
  on(pattern: string, handler: (event: BusEventData) => void | Promise<void>): Promise<Registration>;
}

/** Every method of another plugin's API, made async (as it is when that plugin runs elsewhere). */
export type Proxied<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

export interface PluginDirectory {
  /** True when `id` is installed and can run (resolved, active or stopped). */
  has(id: string): Promise<boolean>;
  /**
   * The public API of a plugin declared in this plugin's dependencies or extends (activating it if
   * needed), or undefined when an optional dependency is absent. @throws JOVIAN_E_PLUGIN_API_UNAVAILABLE
   */
  get<T extends object = Record<string, (...args: never[]) => unknown>>(
    id: string,
  ): Promise<Proxied<T> | undefined>;
}

export interface CommandInvocation {
  /** Arguments after the command name. */
  readonly args: readonly string[];
  /** Options given as `--name value` / `--flag`. */
  readonly options: Readonly<Record<string, string | boolean>>;
}

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface RouteResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface PluginContributions {
  /** Handles `jovian <name>`; the command must be declared in contributes.commands. */
  registerCommand(name: string, handler: (invocation: CommandInvocation) => unknown): Promise<Registration>;
  /**
   * Handles a route declared in contributes.routes (mounted under /api/x/<id>). The handler answers a
   * value, sent as JSON with status 200, or a RouteResponse (`{ status, headers, body }`).
   */
  registerRoute(
    method: string,
    path: string,
    handler: (request: RouteRequest) => RouteResponse | unknown | Promise<RouteResponse | unknown>,
  ): Promise<Registration>;
  /** Serves data to a UI panel declared in contributes.ui.panels. */
  registerPanel(id: string, provider: (request: unknown) => unknown): Promise<Registration>;
}

export interface FileStat {
  readonly size: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly mtimeMs: number;
}

/** Files, limited to the plugin's fs_read / fs_write grants, its own folder and its data folder. */
export interface PluginFileSystem {
  readFile(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
}

export interface HttpRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Milliseconds; capped by the host. */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The final URL after redirects. */
  readonly url: string;
}

/** Outbound HTTP through the host's network broker, limited to the network_outbound grant. */
export interface PluginHttp {
  fetch(url: string, request?: HttpRequest): Promise<HttpResponse>;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly input?: string;
}

export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** True when stdout or stderr was longer than the cap and was cut. */
  readonly truncated: boolean;
}

/** Runs granted commands (no shell) with a deadline and capped output. */
export interface PluginRunner {
  run(command: string, args?: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/** A job's progress, as its handler reports it. */
export interface JobProgress {
  /** 0 to 100; values outside are clamped. */
  readonly percent: number;
  readonly message?: string | undefined;
  /** The handler's estimate of the seconds left. */
  readonly etaSeconds?: number | undefined;
}

/** What a job handler receives beside its params. */
export interface JobHandle {
  readonly id: string;
  /** The handler name (contributes.jobs.handlers[].name). */
  readonly name: string;
  /**
   * Aborted when the job is cancelled or passes its deadline. Check it between steps (or pass it to
   * fetch and the like) and stop: after the cancel's grace period the job ends anyway, and once it
   * timed out whatever the handler returns is ignored.
   */
  readonly signal: AbortSignal;
  /** Reports progress: shown live by `jovian jobs watch`, the API and the WebUI. */
  updateProgress(percent: number, message?: string, etaSeconds?: number): Promise<void>;
}

export type JobHandler = (params: unknown, job: JobHandle) => unknown;

/** Long work with progress, deadlines and cancellation (contributes.jobs in plugin.yaml). */
export interface PluginJobs {
  /**
   * Runs `handler` for each job of `name`, which contributes.jobs.handlers must declare. Its result
   * (structured-cloneable) is kept with the job; what it throws fails the job.
   * @throws JOVIAN_E_JOB_UNDECLARED
   */
  register(name: string, handler: JobHandler): Promise<Registration>;
  /**
   * Queues a job of this plugin's handler `name` and resolves with its id at once (the job runs when
   * one of the plugin's slots is free). @throws JOVIAN_E_JOB_UNDECLARED, JOVIAN_E_JOB_PARAMS_INVALID
   */
  submit(name: string, params?: unknown): Promise<string>;
  /**
   * Inside a handler (and what it awaits): the job it serves; undefined elsewhere. Async like every
   * member of ctx, though it never leaves the plugin.
   */
  current(): Promise<JobHandle | undefined>;
}

/** What the host sends to start a job in the plugin (`job.start`). */
export interface JobStart {
  readonly id: string;
  readonly name: string;
  readonly params: unknown;
}

/** How a job's handler ended, as the plugin reports it (`jobs.finish`). */
export type JobOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: ErrorData };

/** Folders of a plugin, as absolute paths. */
export interface PluginPaths {
  /** The plugin's own data folder: always readable and writable through ctx.fs. */
  readonly data: string;
  /** The plugin's installed folder: always readable through ctx.fs. */
  readonly plugin: string;
  /** The project folder: relative ctx.fs paths start here, and `fs_read: true` grants it. */
  readonly project: string;
}

/** What every plugin receives in activate(ctx). */
export interface PluginContext {
  readonly id: string;
  readonly version: string;
  readonly paths: PluginPaths;
  readonly logger: PluginLogger;
  readonly config: PluginConfig;
  readonly state: PluginStateApi;
  readonly hooks: PluginHooks;
  readonly events: PluginEvents;
  readonly plugins: PluginDirectory;
  readonly contributions: PluginContributions;
  readonly fs: PluginFileSystem;
  readonly http: PluginHttp;
  readonly runner: PluginRunner;
  readonly jobs: PluginJobs;
}

export type HealthStatus = 'ok' | 'degraded' | 'failing';
export interface HealthReport {
  readonly status: HealthStatus;
  readonly message?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Upgrades a config file from the previous config_schema.version to the key's version. */
export type ConfigMigration = (
  previous: Record<string, unknown>,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/**
 * A plugin, as its entry module exports it (`export default definePlugin({...})`). Every member is
 * optional; a plugin with nothing but hooks only needs `activate`.
 */
export interface PluginDefinition<Api extends object = object, Input = unknown, Output = unknown> {
  /** Called once when an activation event fires; register taps, commands and listeners here. */
  activate?(ctx: PluginContext): void | Promise<void>;
  /** Called before the plugin stops; registrations are removed by the host afterwards anyway. */
  deactivate?(): void | Promise<void>;
  /** Fast, idempotent health check; system plugins should implement it. */
  health?(): HealthReport | Promise<HealthReport>;
  /** Counters and gauges (numbers) the host may export. */
  metrics?(): Readonly<Record<string, number>> | Promise<Readonly<Record<string, number>>>;
  /** `jovian run <id> --input <json>`: the input is validated against the manifest's `inputs` schema. */
  run?(input: Input, ctx: PluginContext): Output | Promise<Output>;
  /** Functions other plugins may call through ctx.plugins.get(id); arguments and results are cloned. */
  api?: Api;
  /** Config migrations keyed by the config_schema.version they produce. */
  migrations?: Readonly<Record<number, ConfigMigration>>;
}

/** Marks plugin definitions so the host can tell them from other default exports. */
export const PLUGIN_BRAND: unique symbol = Symbol.for('jovian.plugin');
