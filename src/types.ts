/**
 * The shared vocabulary of Jovian. This file imports nothing: every layer may use it, including guest
 * code that runs inside an isolate.
 */

/** A plugin id: lowercase, `[a-z][a-z0-9_-]{1,63}`. */
export type PluginId = string;

/** `core` plugins live in code; `system` and `tool` plugins come from manifests. */
export type PluginCategory = 'core' | 'system' | 'tool';
/** The categories a manifest may declare. */
export type PluginType = 'system' | 'tool';
export const PLUGIN_TYPES: readonly PluginType[] = ['system', 'tool'];

/** Where a plugin's code runs. Only `inprocess` is implemented by the foundation; the others are accepted. */
export type RuntimeKind = 'inprocess' | 'worker' | 'process' | 'webhook' | 'lua';
export const RUNTIME_KINDS: readonly RuntimeKind[] = ['inprocess', 'worker', 'process', 'webhook', 'lua'];

/**
 * The global functions a Lua plugin may define to tap the host's chat and lifecycle hooks. A plugin's
 * `contributes.hooks` is derived from the ones its source defines at the top level
 * (docs/plugin-authoring.md, Lua plugins).
 */
export const LUA_HOOK_NAMES = [
  'on_startup',
  'on_shutdown',
  'on_chat',
  'on_command',
  'on_automation',
  'filter_message',
  'filter_response',
] as const;
export type LuaHookName = (typeof LUA_HOOK_NAMES)[number];

/**
 * The lifecycle states of a plugin (see docs/lifecycle.md for the transition table).
 * - `discovered`: its manifest was read; nothing checked yet.
 * - `resolved`: checked and activatable; its code is not loaded (an inactive plugin).
 * - `blocked`: cannot run because of its dependencies or the host version; `reason` says why.
 * - `disabled`: switched off by configuration.
 * - `loading`: its code is being loaded and activated.
 * - `ready`: active.
 * - `suspended`: active but not receiving calls; keeps its state.
 * - `stopping`: deactivating.
 * - `stopped`: deactivated; may be activated again.
 * - `error`: failed (invalid manifest, activation failure, crash); `reason` says why.
 */
export type PluginState =
  | 'discovered'
  | 'resolved'
  | 'blocked'
  | 'disabled'
  | 'loading'
  | 'ready'
  | 'suspended'
  | 'stopping'
  | 'stopped'
  | 'error';
export const PLUGIN_STATES: readonly PluginState[] = [
  'discovered',
  'resolved',
  'blocked',
  'disabled',
  'loading',
  'ready',
  'suspended',
  'stopping',
  'stopped',
  'error',
];

/** A point in a source file, 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** An error as plain data: how errors cross every boundary (runtimes, HTTP, JSON output). */
export interface ErrorData {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly where?: SourceLocation | undefined;
  readonly stack?: string | undefined;
  readonly cause?: ErrorData | undefined;
}

export type Severity = 'error' | 'warning' | 'info';

/** A finding about a plugin, a manifest or a config file, as `plugins doctor` reports it. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly where?: SourceLocation | undefined;
  readonly plugin?: PluginId | undefined;
}

// ---------------------------------------------------------------------------------------------
// Manifest (normalised). The raw plugin.yaml schema lives in src/manifest/schema.ts.
// ---------------------------------------------------------------------------------------------

export type PermissionName = 'fs_read' | 'fs_write' | 'run_commands' | 'network_outbound';
export const PERMISSION_NAMES: readonly PermissionName[] = [
  'fs_read',
  'fs_write',
  'run_commands',
  'network_outbound',
];
/** `false` (denied), `true` (granted without restriction) or a list of paths / commands / `host[:port]`. */
export type PermissionGrant = boolean | readonly string[];
export type Permissions = Readonly<Record<PermissionName, PermissionGrant>>;

/** A JSON Schema document (draft 2020-12 subset understood by Ajv). */
export type JsonSchema = { readonly [key: string]: unknown };

export type HookKind =
  | 'SyncSeries'
  | 'SyncSeriesBail'
  | 'SyncSeriesWaterfall'
  | 'AsyncSeries'
  | 'AsyncSeriesBail'
  | 'AsyncSeriesWaterfall'
  | 'AsyncParallel'
  | 'AsyncParallelBail';
export const HOOK_KINDS: readonly HookKind[] = [
  'SyncSeries',
  'SyncSeriesBail',
  'SyncSeriesWaterfall',
  'AsyncSeries',
  'AsyncSeriesBail',
  'AsyncSeriesWaterfall',
  'AsyncParallel',
  'AsyncParallelBail',
];

/** A hook a plugin taps, declared in `contributes.hooks`. */
export interface HookTapContribution {
  readonly name: string;
  /** Lower stages run first; default 0. */
  readonly stage: number;
  /** Tap names (plugin ids or host tap names) this tap must run before. */
  readonly before: readonly string[];
}

export interface CommandContribution {
  readonly name: string;
  readonly description: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface RouteContribution {
  readonly method: HttpMethod;
  /** Relative to the plugin's mount point `/api/x/<id>`. Starts with `/`. */
  readonly path: string;
  readonly description: string;
}

export interface PanelContribution {
  readonly id: string;
  readonly title_key?: string | undefined;
  readonly mount_point: string;
  readonly route?: string | undefined;
}

export interface WidgetContribution {
  readonly id: string;
  readonly mount_point: string;
}

export interface JobHandlerContribution {
  readonly name: string;
  readonly description: string;
  /** JSON Schema the job's params are validated against at submit; absent: any params. */
  readonly params?: JsonSchema | undefined;
}

export interface JobsContribution {
  /** Seconds; absent means the host default. */
  readonly default_timeout?: number | undefined;
  readonly max_concurrent?: number | undefined;
  readonly handlers: readonly JobHandlerContribution[];
}

export interface Contributions {
  readonly hooks: readonly HookTapContribution[];
  readonly commands: readonly CommandContribution[];
  readonly routes: readonly RouteContribution[];
  readonly ui: {
    readonly panels: readonly PanelContribution[];
    readonly widgets: readonly WidgetContribution[];
    readonly settings_frame: boolean;
  };
  readonly events: { readonly emit: readonly string[]; readonly subscribe: readonly string[] };
  readonly jobs: JobsContribution;
  /** `interval_ms`: how often the host reads metrics() while the plugin is active; absent: jovian.yaml's. */
  readonly metrics: { readonly enabled: boolean; readonly interval_ms?: number };
}

export interface DependencySpec {
  readonly id: PluginId;
  /** A semver range; `*` when absent. */
  readonly version: string;
  readonly optional: boolean;
}

export interface ExtendsSpec {
  readonly id: PluginId;
  readonly version: string;
}

export interface Limits {
  readonly memory_mb?: number | undefined;
  readonly timeout_ms?: number | undefined;
  readonly max_concurrent?: number | undefined;
  /** Events the plugin may emit per second (default 1000); more are refused with JOVIAN_E_EVENTS_THROTTLED. */
  readonly events_per_second?: number | undefined;
  /** Stop the plugin after this long without a call (hibernation); the next activation event wakes it. */
  readonly idle_timeout_ms?: number | undefined;
}

/** What the host does after a plugin crashes or fails to start (docs/lifecycle.md). */
export type RestartPolicy = 'always' | 'on_demand' | 'never';

/** The `webhook` section of a manifest (runtime `webhook`). */
export interface WebhookSpec {
  /** An http:// or https:// URL; redirects are not followed. */
  readonly url: string;
  /** Deadline of each request; default: the plugin's call deadline. */
  readonly timeout_ms?: number | undefined;
  /** Largest answer accepted, in KiB; default 1024. */
  readonly max_response_kb?: number | undefined;
}

export interface ConfigSchemaSpec {
  /** Bumped when the shape changes; the plugin's `migrations` upgrade older config files. */
  readonly version: number;
  readonly schema?: JsonSchema | undefined;
}

/**
 * The activation events that load a plugin's code: `onStartup`, `onHook:<hook>`, `onCommand:<name>`,
 * `onRoute:<path>`, `onEvent:<topic>`, `onPanel:<id>`, `onJob:<name>`.
 */
export type ActivationEvent = string;
export const ACTIVATION_EVENT_KINDS = [
  'onStartup',
  'onHook',
  'onCommand',
  'onRoute',
  'onEvent',
  'onPanel',
  'onJob',
] as const;

/** A validated plugin.yaml with every default applied. */
export interface Manifest {
  readonly id: PluginId;
  readonly name: string;
  readonly description: string;
  readonly type: PluginType;
  readonly version: string;
  readonly author?: string | undefined;
  readonly license?: string | undefined;
  readonly engines: { readonly jovian: string };
  /** The entry file, relative to the plugin folder; empty for a webhook plugin that names none. */
  readonly main: string;
  readonly runtime: RuntimeKind;
  /**
   * `runtime: process` only: the program to run instead of Node, as argv (absolute program path or a
   * name looked up on PATH, then its arguments). Absent: `main` is a Node module.
   */
  readonly command?: readonly string[] | undefined;
  /** Where a `webhook` plugin's calls are POSTed; present exactly when runtime is `webhook`. */
  readonly webhook?: WebhookSpec | undefined;
  /** Explicit, or derived from `contributes` (and `onStartup` for system plugins) when absent. */
  readonly activation: readonly ActivationEvent[];
  readonly activation_derived: boolean;
  readonly contributes: Contributions;
  readonly permissions: Permissions;
  readonly config_schema: ConfigSchemaSpec;
  readonly inputs?: JsonSchema | undefined;
  readonly i18n: readonly string[];
  readonly dependencies: readonly DependencySpec[];
  readonly extends: readonly ExtendsSpec[];
  readonly limits: Limits;
  /** Absent: `always` for system plugins, `on_demand` for tools. */
  readonly restart?: RestartPolicy | undefined;
  readonly changelog?: string | undefined;
  /** True for plugins wrapped by the legacy adapter (no plugin.yaml). */
  readonly legacy: boolean;
}

/** Where a manifest came from. */
export interface ManifestSource {
  /** The plugin folder (absolute). */
  readonly dir: string;
  /** The manifest file (plugin.yaml), or the legacy module for legacy plugins. */
  readonly file: string;
}

/** The outcome of the last activation or deactivation of a plugin, kept as data. */
export interface PluginOutcome {
  readonly loadMs?: number | undefined;
  readonly activateMs?: number | undefined;
  readonly deactivateMs?: number | undefined;
  readonly activatedAt?: string | undefined;
  readonly activatedBy?: ActivationEvent | undefined;
  readonly error?: ErrorData | undefined;
}

/** A `plugin.state` event payload. */
export interface PluginStateChange {
  readonly id: PluginId;
  readonly from: PluginState;
  readonly to: PluginState;
  /** ISO 8601 timestamp. */
  readonly at: string;
  readonly reason?: string | undefined;
}

/** The states of a job: `pending` (queued), `running`, then one of the final states. */
export const JOB_STATES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type JobState = (typeof JOB_STATES)[number];
/** The states a job ends in; it never leaves them. */
export const FINAL_JOB_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled', 'timed_out'];

/**
 * A job as the host keeps, stores and shows it (`GET /api/jobs/:id`, `jovian jobs show --json`, the
 * payload of every `job.*` event). Times are ISO 8601.
 */
export interface JobInfo {
  readonly id: string;
  readonly plugin: string;
  /** The handler, declared in the plugin's contributes.jobs.handlers. */
  readonly name: string;
  readonly params: unknown;
  readonly state: JobState;
  /** 0 to 100, as the handler last reported it. */
  readonly progress: number;
  readonly message: string | null;
  /** The handler's estimate of the seconds left, when it gave one. */
  readonly etaSeconds: number | null;
  /** Who submitted it: `api`, `cli`, or the plugin that called ctx.jobs.submit. */
  readonly submittedBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /** The deadline from start to end, in milliseconds. */
  readonly timeoutMs: number;
  /** What the handler returned (completed jobs). */
  readonly result: unknown;
  /** Why it failed, was cancelled or timed out. */
  readonly error: ErrorData | null;
}
