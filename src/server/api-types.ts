/**
 * What `/api` answers and `/api/events` sends, as types a client can use without the server: the WebUI
 * (web/) type-checks against this file, so it imports nothing but `types.ts` (no Node, no Fastify).
 * test/unit/server/api-types.test.ts keeps these shapes equal to what the routes build.
 */
import type {
  Contributions,
  DependencySpec,
  Diagnostic,
  ErrorData,
  JsonSchema,
  Permissions,
  PluginCategory,
  PluginState,
  PluginStateChange,
  RuntimeKind,
} from '../types.js';

export type { JsonSchema, PluginState, PluginStateChange, RuntimeKind };

/** A circuit breaker: `closed` (calls go through), `open` (refused until its cool-down ends), `half_open`. */
export type ApiBreakerState = 'closed' | 'open' | 'half_open';

/** One plugin in `GET /api/plugins` (`{ plugins: ApiPluginSummary[] }`). */
export interface ApiPluginSummary {
  readonly id: string;
  readonly name: string;
  readonly type: PluginCategory;
  readonly version: string | null;
  readonly runtime: RuntimeKind | null;
  readonly state: PluginState;
  /** Why the plugin is blocked, disabled, suspended or in error; null otherwise. */
  readonly reason: string | null;
  readonly reasonCode: string | null;
  readonly legacy: boolean;
  readonly breaker: ApiBreakerState;
}

/** `GET /api/plugins/:id`: the fields of the details a client may rely on (the server sends more). */
export interface ApiPluginDetails extends ApiPluginSummary {
  readonly description: string;
  readonly author: string | null;
  readonly license: string | null;
  readonly dir: string;
  readonly manifestFile: string;
  readonly activation: readonly string[];
  readonly dependencies: readonly DependencySpec[];
  readonly permissions: Permissions | null;
  readonly contributes: Contributions | null;
  readonly failures: number;
  readonly trust: string;
  readonly declaredRuntime: RuntimeKind | null;
  /** ISO 8601: when the current state was entered. */
  readonly since: string;
  readonly outcome: { readonly activatedAt?: string | undefined; readonly error?: ErrorData | undefined };
  readonly diagnostics: readonly Diagnostic[];
}

/** `GET /api/plugins/:id/config`. */
export interface ApiPluginConfig {
  /** The config.yaml the values are written to. */
  readonly file: string;
  /** The effective config: defaults < config.yaml < project overrides. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The plugin's `config_schema.schema` (a JSON Schema object); null when it declares none. */
  readonly schema: JsonSchema | null;
}

/** One change of `PUT /api/plugins/:id/config`: a dotted key and its value before and after. */
export interface ApiConfigChange {
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** `PUT /api/plugins/:id/config` (with `dryRun: true` nothing was written, and only `changes` is sent). */
export interface ApiConfigUpdate {
  readonly dryRun: boolean;
  readonly changes: readonly ApiConfigChange[];
  readonly file?: string | undefined;
  readonly values?: Readonly<Record<string, unknown>> | undefined;
}

/** One problem of a refused `PUT /api/plugins/:id/config` (400, `{ error, issues }`). */
export interface ApiConfigIssue {
  /** A JSON pointer to the value (`/limits/max`). */
  readonly pointer: string;
  readonly key: string;
  readonly kind: string;
  readonly message: string;
  readonly code: string;
}

/** `POST /api/plugins/:id/enable` and `…/disable`. */
export interface ApiEnableResult {
  readonly id: string;
  readonly enabled: boolean;
  readonly state: PluginState;
  readonly file: string;
  readonly overriddenBy?: string | undefined;
}

export type ApiLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line of `GET /api/plugins/:id/logs` (`{ lines }`) and the payload of a `plugin.log` event. */
export interface ApiLogLine {
  readonly plugin: string;
  readonly level: ApiLogLevel;
  readonly message: string;
  readonly data?: unknown;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

/** Every error answer: `{ error: ApiErrorBody }`, with the status its code implies (docs/server.md). */
export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly hint: string | null;
}

/** What a client sends on the `/api/events` WebSocket (docs/server.md, "Live events"). */
export type EventsClientMessage =
  | { readonly subscribe: readonly string[] }
  | { readonly unsubscribe: readonly string[] };

/** What the `/api/events` WebSocket sends. */
export type EventsServerMessage =
  | {
      readonly topic: string;
      readonly payload: unknown;
      readonly at: number;
      readonly unserializable?: string;
    }
  | { readonly subscribed: readonly string[] }
  | { readonly dropped: number }
  | { readonly error: ApiErrorBody };
