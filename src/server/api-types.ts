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
  JobInfo,
  JobState,
  JsonSchema,
  PermissionName,
  Permissions,
  PluginCategory,
  PluginState,
  PluginStateChange,
  RuntimeKind,
} from '../types.js';

export type { JsonSchema, PluginState, PluginStateChange, RuntimeKind };

/** A job's state: `pending`, `running`, then `completed`, `failed`, `cancelled` or `timed_out`. */
export type ApiJobState = JobState;
/** One job: `GET /api/jobs/:id`, each of `GET /api/jobs` (`{ jobs }`), and the payload of `job.*` events. */
export type ApiJob = JobInfo;

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
  /** `official`, `verified`, `community` or `unsigned`. */
  readonly trust: string;
  /** Who signed it and when, when its signature verified at load; null otherwise. */
  readonly signature: ApiPluginSignature | null;
  /** Unsigned, loaded only because strict mode allows unsigned local plugins ("dev / unsigned"). */
  readonly dev_unsigned: boolean;
  /** What plugin.yaml lets it touch (docs/permissions.md); null without a manifest. */
  readonly permissions: Permissions | null;
}

/** The signature of a plugin whose plugin.sig verified (docs/packaging.md#trust-at-load). */
export interface ApiPluginSignature {
  /** The trust-store principal of the key that signed it. */
  readonly signer: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** ISO 8601: when plugin.sig was last written. */
  readonly date: string;
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
  readonly contributes: Contributions | null;
  readonly failures: number;
  readonly declaredRuntime: RuntimeKind | null;
  /** ISO 8601: when the current state was entered. */
  readonly since: string;
  readonly outcome: {
    readonly activatedAt?: string | undefined;
    /** The activation event that started it last (`restart` after a restart). */
    readonly activatedBy?: string | undefined;
    readonly error?: ErrorData | undefined;
  };
  readonly diagnostics: readonly Diagnostic[];
  /** Calls since the host started, derived from its metrics. */
  readonly usage: ApiPluginUsage;
  /** The last health() check; null before the first one (or when the plugin has no health()). */
  readonly healthCheck: ApiHealthCheck | null;
}

/** A plugin's last health() check. */
export interface ApiHealthCheck {
  readonly status: 'ok' | 'degraded' | 'failing';
  /** What health() said, or why the check failed (it threw, it timed out). */
  readonly message: string | null;
  /** ISO 8601. */
  readonly checkedAt: string;
  readonly durationMs: number;
  /** Failing checks in a row (0 when this one did not fail). */
  readonly failures: number;
}

/** `GET /api/health`. */
export interface ApiHealth {
  readonly status: 'ok' | 'degraded';
  /** `ok`, or `degraded: <id> — <message>` for each system plugin at fault (joined by `; `). */
  readonly mode: string;
  readonly version: string;
  readonly degradedBy: readonly {
    readonly id: string;
    readonly state: PluginState;
    readonly reason: string | null;
    readonly check: ApiHealthCheck | null;
  }[];
  readonly plugins: Readonly<
    Record<
      string,
      { readonly state: PluginState; readonly reason: string | null; readonly check: ApiHealthCheck | null }
    >
  >;
}

/** The payload of a `plugin.health` event: a plugin's check result changed. */
export interface ApiPluginHealthEvent extends ApiHealthCheck {
  readonly id: string;
  /** The status before, null for the plugin's first check. */
  readonly previous: ApiHealthCheck['status'] | null;
}

/** One record of `GET /api/audit` (and of `jovian audit list --json` / `export`). */
export interface ApiAuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly plugin: string;
  readonly action: string;
  readonly target: string;
  readonly decision: 'allow' | 'deny';
  readonly permission: PermissionName | null;
  readonly reason: string;
  /** JSON data: a config change's `{ changes: [{ key, from, to }] }` (secrets as `••••`); null when none. */
  readonly details: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

/** `GET /api/audit`: the latest records matching, oldest first. */
export interface ApiAuditList {
  readonly records: readonly ApiAuditRecord[];
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

/**
 * `POST /api/plugins/:id/reload` (developer mode): how the reload went. The same outcome is emitted as
 * `plugin.reloaded` (`ok`) or `plugin.reload_failed`.
 */
export interface ApiReloadResult {
  readonly id: string;
  /** True when the new version is the one that serves now. */
  readonly ok: boolean;
  /** The version that served before. */
  readonly from: string;
  /** The version read from disk (absent when it could not be read). */
  readonly to?: string | undefined;
  readonly wasActive: boolean;
  /** On failure: whether the previous version serves again. */
  readonly rolledBack?: boolean | undefined;
  readonly error?:
    | {
        readonly code: string;
        readonly name: string;
        readonly message: string;
        readonly hint?: string | undefined;
      }
    | undefined;
  /** On failure: the crash dump written. */
  readonly crashDump?: string | undefined;
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

/** A panel a plugin mounts on its page (`contributes.ui.panels`), in `GET /api/ui`. */
export interface ApiPanel {
  readonly plugin: string;
  readonly id: string;
  /** The i18n key of its tab title (`plugin.<id>.…`); null: the panel id is the title. */
  readonly titleKey: string | null;
  /** The ES module the UI imports: `/plugins/<id>/assets/panels/<panel>.js` (from the plugin's `web/`). */
  readonly module: string;
}

/** A widget a plugin mounts on the dashboard (`contributes.ui.widgets`), in `GET /api/ui`. */
export interface ApiWidget {
  readonly plugin: string;
  readonly id: string;
  /** Where it mounts: `dashboard.main`, `dashboard.right_column`… */
  readonly mountPoint: string;
  /** `/plugins/<id>/assets/widgets/<widget>.js` */
  readonly module: string;
}

/**
 * Something of a plugin the UI cannot use, and why: in `GET /api/ui` a panel or widget whose module file
 * is missing; in `GET /api/i18n/:locale` a language file that is skipped.
 */
export interface ApiUiProblem {
  readonly plugin: string;
  /** The panel or widget id; for messages, the language file as the plugin names it (`web/lang/fr.json`). */
  readonly contribution: string;
  /** What is wrong, the file concerned, and how to fix it. */
  readonly message: string;
}

/**
 * `GET /api/ui`: what plugins mount in the WebUI, from their manifests and the files of their `web/`
 * folders; nothing is activated to answer. Disabled and blocked plugins are left out; a plugin in error
 * is kept (its page still shows the panel, whose calls then fail visibly). A plugin that declares no
 * panels but has `web/panels/main.js` gets the panel `main` (titleKey null). A declared panel or widget
 * without its module file is not listed but named in `problems`. Core, single-file Lua and legacy
 * plugins have no `web/` folder and contribute nothing.
 */
export interface ApiUiContributions {
  readonly panels: readonly ApiPanel[];
  readonly widgets: readonly ApiWidget[];
  readonly problems: readonly ApiUiProblem[];
}

/**
 * `GET /api/i18n/:locale`: the plugins' messages, merged and flattened: `{"title": "…", "help": {"intro":
 * "…"}}` of plugin `x` gives `plugin.x.title` and `plugin.x.help.intro`. Each plugin gives its
 * `web/lang/<locale>.json` (or the file named `<locale>.json` in its manifest's `i18n` list); without
 * one, its `<language>.json` (`fr.json` for `fr-CA`), then its `en.json`. A file that is not JSON, not
 * an object of strings, or larger than 256 KiB is skipped whole and named in `problems`.
 */
export interface ApiI18nMessages {
  readonly locale: string;
  readonly messages: Readonly<Record<string, string>>;
  readonly problems: readonly ApiUiProblem[];
}

/** `GET /api/plugins/:id/metrics`: the plugin's own `metrics()`, when it declares metrics and is active. */
export interface ApiPluginMetrics {
  readonly id: string;
  /** `contributes.metrics`: false means the plugin has no metrics to show. */
  readonly declared: boolean;
  /** Null when not declared, or the plugin is not active (nothing is activated to answer). */
  readonly values: Readonly<Record<string, number>> | null;
  /** ISO 8601: when the values were read. */
  readonly at: string;
}

/** `GET` and `PUT /api/plugins/:id/logs/level`: the plugin's log level now. */
export interface ApiLogLevelState {
  readonly id: string;
  /** The level set for the plugin; null when it follows the global level. */
  readonly level: ApiLogLevel | null;
  /** The level its lines are kept at now (debug while a debug period runs). */
  readonly effective: ApiLogLevel;
  /** The global level: outside developer mode, no plugin logs below it except during a debug period. */
  readonly floor: ApiLogLevel;
  /** ISO 8601: when the debug period ends; null when none runs. */
  readonly debugUntil: string | null;
}

/** `GET /api/metrics`: every metric of `GET /metrics`, as JSON (docs/observability.md). */
export interface ApiMetrics {
  /** ISO 8601: when they were read. */
  readonly at: string;
  readonly metrics: readonly ApiMetric[];
}

export interface ApiMetric {
  readonly name: string;
  readonly help: string;
  /** `counter`, `gauge` or `histogram`. */
  readonly type: string;
  /** A histogram's values are its `_bucket` (label `le`), `_sum` and `_count` series, named by `metricName`. */
  readonly values: readonly {
    readonly labels: Readonly<Record<string, string | number>>;
    readonly value: number;
    readonly metricName?: string;
  }[];
}

/** `usage` of `GET /api/plugins/:id`: hook calls and calls into the plugin since the host started. */
export interface ApiPluginUsage {
  readonly calls: number;
  /** ISO 8601; null when never called. */
  readonly lastCallAt: string | null;
  /** Mean duration (ms); null when never called. */
  readonly averageMs: number | null;
}

/** A failed call of `bridge.api`: the API's error with the HTTP status. */
export interface JovianBridgeError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | null;
}

/**
 * What a plugin's panel or widget module receives: `export function mount(element, bridge)` and an
 * optional `export function unmount(element)` (docs/plugin-authoring.md, "Panels and widgets"). The same
 * object is `window.jovianBridge.forPlugin(<id>)`.
 */
export interface JovianBridge {
  readonly pluginId: string;
  /** Prefix every element id the plugin creates with it: `plugin-<id>-`. */
  readonly idPrefix: string;
  /**
   * The API with the UI's login. A relative path is one of the plugin's routes (`stats` →
   * `/api/x/<id>/stats`); a path starting with `/api/` is used as is. Resolves with the JSON answer.
   * Rejects with a JovianBridgeError; failures are also logged in the browser console with the plugin id.
   */
  readonly api: {
    get<T = unknown>(path: string): Promise<T>;
    post<T = unknown>(path: string, body?: unknown): Promise<T>;
    put<T = unknown>(path: string, body?: unknown): Promise<T>;
    delete<T = unknown>(path: string): Promise<T>;
    /** Asks the provider the plugin registered for a panel (`registerPanel`), activating the plugin. */
    panel<T = unknown>(panelId: string, request?: unknown): Promise<T>;
  };
  /** Live events (`plugin.state`, `plugin.log`, the plugin's own topics…); returns the unsubscribe. */
  readonly events: {
    subscribe(pattern: string, listener: (payload: unknown, topic: string) => void): () => void;
  };
  /**
   * The plugin's messages in the UI's language: `t('title')` reads `plugin.<id>.title`; `{name}`
   * placeholders are replaced by `values.name`. A missing key returns the key.
   */
  readonly i18n: {
    readonly locale: string;
    t(key: string, values?: Readonly<Record<string, string | number>>): string;
  };
  /** A toast in the UI, with the plugin's name. */
  notify(message: string, options?: { readonly level?: 'info' | 'success' | 'warning' | 'error' }): void;
  readonly theme: {
    readonly name: 'dark' | 'light';
    /** Called with the new theme when the user switches; returns the unsubscribe. */
    onChange(listener: (name: 'dark' | 'light') => void): () => void;
  };
}

/** `window.jovianBridge`. */
export interface JovianBridgeRoot {
  readonly version: 1;
  forPlugin(id: string): JovianBridge;
}

/** How one permission changes in an update: `added` and `widened` need consent. */
export interface ApiPermissionChange {
  readonly permission: PermissionName;
  readonly change: 'added' | 'widened' | 'narrowed' | 'removed';
  /** The permission in plain words: "connect to api.example.org". */
  readonly words: string;
}

/** What an install or update would do, for the user to read before consenting (docs/packaging.md). */
export interface ApiInstallPlan {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly runtime: string;
  readonly source: { readonly kind: 'folder' | 'archive' | 'url' | 'catalog'; readonly origin: string };
  /** `sha256:<hex>` of the package's MANIFEST.json. */
  readonly hash: string;
  readonly trust: string;
  readonly signature: { readonly signer: string; readonly fingerprint: string } | null;
  /** Why the package counts as unsigned; null when signed. */
  readonly unsigned: string | null;
  readonly action: 'install' | 'update' | 'reinstall' | 'downgrade';
  readonly previous: { readonly version: string } | null;
  /** Everything it may touch, in plain words. */
  readonly permissions: readonly string[];
  /** On update: how its permissions change. */
  readonly changes: readonly ApiPermissionChange[];
  /** Why consent is needed; empty when it is not. */
  readonly consent: readonly string[];
  /** Required plugins that are not installed. */
  readonly missing: readonly { readonly id: string; readonly range: string }[];
}

/** One plugin of an install: `needs-consent` and `dry-run` changed nothing. */
export interface ApiInstallOutcome {
  readonly status: 'installed' | 'unchanged' | 'dry-run' | 'needs-consent';
  readonly plan: ApiInstallPlan;
}

/** `POST /api/packages` and `POST /api/plugins/:id/update`. */
export interface ApiInstallAnswer {
  /** `needs-consent` when a plan waits for consent; otherwise the last outcome's status (`up-to-date`: update only). */
  readonly status: ApiInstallOutcome['status'] | 'up-to-date';
  /** Dependencies first, then the plugin asked for. */
  readonly outcomes: readonly ApiInstallOutcome[];
  /** The uploaded package the server keeps for a second request (consent after a dry run); else null. */
  readonly upload: string | null;
}

/** An update the catalog offers. */
export interface ApiAvailableUpdate {
  readonly id: string;
  readonly installed: string;
  readonly available: string;
  readonly url: string;
}

/** `GET /api/packages/updates`. */
export interface ApiAvailableUpdates {
  readonly updates: readonly ApiAvailableUpdate[];
}

/** `DELETE /api/plugins/:id`. */
export interface ApiUninstallResult {
  readonly id: string;
  readonly version: string;
  /** Plugins that required it and were disabled (`cascade=1`). */
  readonly disabled: readonly string[];
}

/** `POST /api/plugins/:id/rollback`. */
export interface ApiRollbackResult {
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

/** `GET /api/packages`: the plugins installed in `<data-dir>/plugins`. */
export interface ApiInstalledPackages {
  readonly installed: readonly {
    readonly id: string;
    readonly version: string;
    /** The other versions kept, that a rollback can put back. */
    readonly kept: readonly string[];
  }[];
}
