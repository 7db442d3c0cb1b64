import type { FastifyInstance } from 'fastify';
import { JOVIAN_VERSION } from '../host/index.js';
import { API_SCHEMAS, type ApiSchemaName } from './api-schemas.js';

interface Operation {
  readonly summary: string;
  readonly query?: readonly string[];
  readonly body?: string;
  /** The media types the body may have; default JSON. */
  readonly bodyTypes?: readonly string[];
  /** Served without the token. */
  readonly public?: true;
  /** Status → what it means. */
  readonly responses: Readonly<Record<number, string>>;
  /** The JSON Schema (api-schemas.ts) of the 200 answer; errors are always `ApiError`. */
  readonly answer?: ApiSchemaName;
  /** The schema of the 400 answer when it says more than `ApiError`. */
  readonly refusal?: ApiSchemaName;
}

const ERRORS = { 401: 'no valid token (JOVIAN_E_SERVER_UNAUTHORIZED)' };
const PLUGIN = { ...ERRORS, 404: 'no such plugin (JOVIAN_E_PLUGIN_NOT_FOUND)' };

/** Every route of the API, by path and method: the one list /api/docs is built from (a test keeps it complete). */
export const API_ROUTES: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
  '/api/plugins': {
    get: {
      answer: 'ApiPluginList',
      summary: 'Every plugin, as `plugins list --json`',
      responses: { 200: '{ plugins }', ...ERRORS },
    },
  },
  '/api/plugins/{id}': {
    get: {
      answer: 'ApiPluginDetails',
      summary: 'One plugin in detail, as `plugins info --json`',
      responses: { 200: 'the details', ...PLUGIN },
    },
    delete: {
      answer: 'ApiUninstallResult',
      summary:
        'Uninstalls a plugin installed in <data-dir>/plugins: stopped, its contributions gone; `cascade=1` disables the plugins that require it, `purge=1` deletes its settings and data',
      query: ['cascade', 'purge'],
      responses: {
        200: '{ id, version, disabled }',
        404: 'not installed (JOVIAN_E_PLUGIN_NOT_INSTALLED)',
        409: 'enabled plugins require it (JOVIAN_E_UNINSTALL_REQUIRED names them)',
        ...ERRORS,
      },
    },
  },
  '/api/plugins/{id}/reload': {
    post: {
      answer: 'ApiReloadResult',
      summary:
        'Developer mode: reload a plugin from disk; a new version that fails leaves the previous one serving (`ok: false`)',
      responses: {
        200: 'the outcome, reloaded or not (`ok`)',
        403: 'a core plugin, or another origin (JOVIAN_E_CORE_PLUGIN_LOCKED, JOVIAN_E_SERVER_ORIGIN_REFUSED)',
        409: 'outside developer mode, or a legacy plugin (JOVIAN_E_RELOAD_REFUSED)',
        ...PLUGIN,
      },
    },
  },
  '/api/plugins/{id}/{action}': {
    post: {
      summary: 'enable, disable or restart a plugin',
      responses: {
        200: 'the outcome',
        403: 'a core plugin, or another origin (JOVIAN_E_CORE_PLUGIN_LOCKED, JOVIAN_E_SERVER_ORIGIN_REFUSED)',
        409: 'not possible now: breaker open',
        ...PLUGIN,
      },
    },
  },
  '/api/packages': {
    get: {
      answer: 'ApiInstalledPackages',
      summary:
        'The plugins installed in <data-dir>/plugins, each with its version and the other versions kept',
      responses: { 200: '{ installed: [{ id, version, kept }] }', ...ERRORS },
    },
    post: {
      answer: 'ApiInstallAnswer',
      summary:
        'Installs or updates a plugin from a package: its bytes (application/octet-stream, `filename` in the query), or JSON `{ source }` (a path on the server, an https URL or a catalog name) or `{ upload }` (a package sent before); held for consent unless `consent`',
      query: ['filename', 'consent', 'hash', 'dry_run', 'allow_downgrade', 'install_deps'],
      body: 'the package bytes, or { source } or { upload }, with the flags (consent, hash, dry_run, allow_downgrade, install_deps)',
      bodyTypes: ['application/octet-stream', 'application/json'],
      responses: {
        200: '{ status, outcomes: [{ status, plan }], upload }: `needs-consent` changed nothing',
        400: 'no source, a package that fails its checks or is unsigned in strict mode (JOVIAN_E_PACKAGE_UNSIGNED, JOVIAN_E_SIGNATURE_BAD…)',
        404: 'an upload reference the server no longer keeps (JOVIAN_E_SERVER_UPLOAD_UNKNOWN)',
        409: 'a downgrade, a missing dependency, or a first start that failed and was undone (JOVIAN_E_INSTALL_DOWNGRADE, JOVIAN_E_INSTALL_ROLLED_BACK…)',
        413: 'more than 128 MiB (JOVIAN_E_SERVER_UPLOAD_TOO_LARGE)',
        ...ERRORS,
      },
    },
  },
  '/api/packages/updates': {
    get: {
      answer: 'ApiAvailableUpdates',
      summary: 'The installed plugins for which the catalog has a newer version',
      responses: {
        200: '{ updates }',
        400: 'no catalog is set (JOVIAN_E_INSTALL_SOURCE_UNKNOWN)',
        ...ERRORS,
      },
    },
  },
  '/api/plugins/{id}/update': {
    post: {
      answer: 'ApiInstallAnswer',
      summary:
        'Updates an installed plugin to the newest version of the catalog; held for consent (with the permission changes) unless `consent`',
      query: ['consent', 'hash', 'dry_run'],
      body: '{ consent?, hash?, dry_run? } (optional)',
      responses: {
        200: '{ status, outcomes, upload: null }; `up-to-date` when the catalog has nothing newer',
        404: 'not installed in <data-dir>/plugins (JOVIAN_E_PLUGIN_NOT_INSTALLED)',
        409: 'the new version failed its first start; the previous one serves (JOVIAN_E_INSTALL_ROLLED_BACK)',
        ...ERRORS,
      },
    },
  },
  '/api/plugins/{id}/rollback': {
    post: {
      answer: 'ApiRollbackResult',
      summary: 'Puts back the previous kept version of an installed plugin, and runs it',
      responses: {
        200: '{ id, from, to }',
        404: 'not installed, or no earlier version is kept (JOVIAN_E_PLUGIN_NOT_INSTALLED)',
        ...ERRORS,
      },
    },
  },
  '/api/plugins/{id}/logs': {
    get: {
      answer: 'ApiLogLines',
      summary: "The last lines of the plugin's log files (they survive restarts), filtered by level and text",
      query: ['tail', 'level', 'q'],
      responses: {
        200: '{ lines }',
        400: 'unknown level, bad tail (JOVIAN_E_SERVER_BAD_REQUEST)',
        ...PLUGIN,
      },
    },
  },
  '/api/plugins/{id}/logs/download': {
    get: {
      summary: "Every line of the plugin's log files, oldest first, as NDJSON",
      responses: { 200: 'application/x-ndjson', ...PLUGIN },
    },
  },
  '/api/plugins/{id}/logs/level': {
    get: {
      answer: 'ApiLogLevelState',
      summary: "The plugin's log level: set, effective, the global floor, the end of a debug period",
      responses: { 200: '{ id, level, effective, floor, debugUntil }', ...PLUGIN },
    },
    put: {
      answer: 'ApiLogLevelState',
      summary:
        'Sets the level (`level`, null to follow the global one) or starts a debug period that ends by itself (`debug_for_ms`)',
      body: '{ level?: debug|info|warn|error|null, debug_for_ms?: integer }',
      responses: {
        200: 'the level now',
        400: 'unknown level, or a duration that is not a positive integer (JOVIAN_E_LOG_LEVEL_INVALID)',
        403: 'another origin (JOVIAN_E_SERVER_ORIGIN_REFUSED)',
        ...PLUGIN,
      },
    },
  },
  '/api/plugins/{id}/changelog': {
    get: { summary: "The plugin's changelog", responses: { 200: 'text/markdown', ...PLUGIN } },
  },
  '/api/plugins/{id}/config': {
    get: {
      answer: 'ApiPluginConfig',
      summary: 'The effective config, its file and the config_schema (null when none)',
      responses: { 200: '{ file, values, schema }', ...PLUGIN },
    },
    put: {
      answer: 'ApiConfigUpdate',
      refusal: 'ApiConfigRefusal',
      summary: 'Validate and write config keys; `dry_run=1` only previews',
      query: ['dry_run'],
      body: '{ values: { <key>: <value> } }',
      responses: {
        200: '{ dryRun, changes, file, values }',
        400: '{ error, issues: [{ pointer, key, kind, message, code }] }',
        ...PLUGIN,
      },
    },
  },
  '/api/plugins/{id}/panels/{panel}': {
    post: {
      answer: 'ApiPanelAnswer',
      summary:
        'Asks the provider the plugin registered for a panel, activating the plugin (`onPanel:<panel>`)',
      body: "the panel's request (optional; null when absent)",
      responses: {
        200: "{ data }: the provider's answer",
        404: 'no such plugin, or a panel it does not declare (JOVIAN_E_CONTRIBUTION_UNDECLARED)',
        409: 'the plugin cannot run now (disabled, blocked, suspended, breaker open)',
        504: 'the provider did not answer within the call deadline (JOVIAN_E_CALL_TIMEOUT)',
        ...ERRORS,
      },
    },
  },
  '/api/plugins/{id}/metrics': {
    get: {
      answer: 'ApiPluginMetrics',
      summary:
        "The plugin's own metrics() when it declares them and is active; values null otherwise (never activates it)",
      responses: {
        200: '{ id, declared, values, at }',
        500: 'metrics() failed or answered something other than numbers (JOVIAN_E_METRICS_INVALID)',
        504: 'metrics() did not answer within the call deadline (JOVIAN_E_CALL_TIMEOUT)',
        ...PLUGIN,
      },
    },
  },
  '/api/ui': {
    get: {
      answer: 'ApiUiContributions',
      summary: 'The panels and widgets plugins mount in the WebUI, and those it cannot mount',
      responses: { 200: '{ panels, widgets, problems }', ...ERRORS },
    },
  },
  '/api/i18n/{locale}': {
    get: {
      answer: 'ApiI18nMessages',
      summary:
        "Every plugin's messages in a locale (English when a plugin has none), flattened under `plugin.<id>.`",
      responses: {
        200: '{ locale, messages, problems }',
        400: 'not a locale such as `en` or `pt-BR` (JOVIAN_E_SERVER_BAD_REQUEST)',
        ...ERRORS,
      },
    },
  },
  '/api/x/{id}/{path}': {
    get: {
      summary: 'A route the plugin contributes (any method)',
      responses: { 200: "the plugin's answer", 404: 'not declared', ...ERRORS },
    },
  },
  '/api/jobs': {
    get: {
      answer: 'ApiJobList',
      summary: 'Jobs of every plugin, newest first, live ones with their latest progress',
      query: ['plugin', 'state', 'limit'],
      responses: { 200: '{ jobs }', 400: 'unknown state', ...ERRORS },
    },
    post: {
      answer: 'ApiJob',
      summary:
        'Submits a job of a handler a plugin declares (contributes.jobs.handlers); it runs when a slot of the plugin is free',
      body: '{ plugin, name, params? }',
      responses: {
        200: 'the job (pending, or running when a slot was free)',
        400: 'no plugin or name, or params the handler schema refuses (JOVIAN_E_JOB_PARAMS_INVALID)',
        404: 'no such plugin or job handler (JOVIAN_E_JOB_UNDECLARED)',
        409: 'the plugin cannot take jobs now: disabled, blocked, suspended, breaker open (JOVIAN_E_CIRCUIT_OPEN)',
        ...ERRORS,
      },
    },
  },
  '/api/jobs/export': {
    get: {
      summary: 'Every stored job, oldest first, as NDJSON (one job per line)',
      query: ['plugin', 'state'],
      responses: { 200: 'application/x-ndjson', 400: 'unknown state', ...ERRORS },
    },
  },
  '/api/jobs/{id}': {
    get: {
      answer: 'ApiJob',
      summary: 'One job',
      responses: { 200: 'the job', 404: 'no such job (JOVIAN_E_JOB_NOT_FOUND)', ...ERRORS },
    },
    delete: {
      answer: 'ApiJob',
      summary:
        "Cancels a job: a pending one at once; a running one's signal is aborted and it ends cancelled when its handler stops (or after the grace period)",
      responses: {
        200: 'the job (cancelled, or still running until its handler stops)',
        404: 'no such job (JOVIAN_E_JOB_NOT_FOUND)',
        409: 'the job has already ended (JOVIAN_E_JOB_FINISHED)',
        ...ERRORS,
      },
    },
  },
  '/api/health': {
    get: {
      answer: 'ApiHealth',
      summary:
        'Host status (`ok` or `degraded`, with its mode), every plugin state and its last health check',
      responses: { 200: '{ status, mode, version, degradedBy, plugins }', ...ERRORS },
    },
  },
  '/api/audit': {
    get: {
      answer: 'ApiAuditList',
      summary:
        'The latest audit records matching (default 100, at most 1000), oldest first, with their hashes',
      query: ['plugin', 'action', 'decision', 'limit'],
      responses: {
        200: '{ records }',
        400: 'a decision other than allow or deny, a limit outside 1–1000 (JOVIAN_E_SERVER_BAD_REQUEST)',
        500: 'the audit database cannot be read (JOVIAN_E_AUDIT_UNREADABLE)',
        ...ERRORS,
      },
    },
  },
  '/api/chat': {
    post: {
      summary: 'A message or /command through the chat hooks',
      body: '{ message }',
      responses: { 200: 'the exchange', 400: 'no message', ...ERRORS },
    },
  },
  '/api/events': {
    get: {
      summary: 'WebSocket: live events, subscribed by topic pattern',
      responses: { 101: 'upgraded', 403: 'another origin', ...ERRORS },
    },
  },
  '/api/docs': {
    get: { summary: 'This document (OpenAPI 3.1)', responses: { 200: 'application/json', ...ERRORS } },
  },
  '/metrics': {
    get: {
      summary: "Prometheus metrics: the host's and the plugins' own (docs/observability.md)",
      responses: { 200: 'text/plain; version=0.0.4', ...ERRORS },
    },
  },
  '/api/metrics': {
    get: {
      answer: 'ApiMetrics',
      summary: 'The metrics of /metrics as JSON',
      responses: { 200: '{ at, metrics }', ...ERRORS },
    },
  },
  '/plugins/{id}/assets/{path}': {
    get: {
      summary: "A file of the plugin's web/ folder",
      responses: { 200: 'the file', 404: 'not an asset (outside web/)', ...ERRORS },
    },
  },
  '/': {
    get: {
      summary: 'The WebUI (index.html; other paths outside /api that are not files answer it too)',
      public: true,
      responses: { 200: 'text/html', 404: 'the WebUI is not built' },
    },
  },
  '/assets/{path}': {
    get: {
      summary: 'A file of the WebUI build, cached for a year (its name changes with its content)',
      public: true,
      responses: { 200: 'the file', 404: 'no such file' },
    },
  },
  '/login': {
    get: {
      summary: 'Sets the token cookie and redirects to /',
      public: true,
      query: ['token'],
      responses: { 303: 'to /', 401: 'wrong token' },
    },
  },
};

/** `GET /api/docs`: the API as an OpenAPI 3.1 document (docs/server.md has the prose). */
export function openApiRoute(server: FastifyInstance): void {
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Jovian',
      version: JOVIAN_VERSION,
      description: 'The API of `jovian serve` (docs/server.md).',
    },
    components: {
      schemas: API_SCHEMAS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'jovian_token' },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths: Object.fromEntries(
      Object.entries(API_ROUTES).map(([path, operations]) => [
        path,
        Object.fromEntries(
          Object.entries(operations).map(([method, operation]) => [method, toOpenApi(path, operation)]),
        ),
      ]),
    ),
  };
  server.get('/api/docs', async () => document);
}

function toOpenApi(path: string, operation: Operation): Record<string, unknown> {
  const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return {
    summary: operation.summary,
    ...(operation.public ? { security: [] } : {}),
    parameters: [
      ...inPath.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(operation.query ?? []).map((name) => ({
        name,
        in: 'query',
        required: false,
        schema: { type: 'string' },
      })),
    ],
    ...(operation.body
      ? {
          requestBody: {
            description: operation.body,
            content: Object.fromEntries(
              (operation.bodyTypes ?? ['application/json']).map((type) => [
                type,
                {
                  schema:
                    type === 'application/json' ? { type: 'object' } : { type: 'string', format: 'binary' },
                },
              ]),
            ),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(operation.responses).map(([status, description]) => {
        const code = Number(status);
        const schema =
          code === 200
            ? operation.answer
            : code === 400 && operation.refusal
              ? operation.refusal
              : code >= 400
                ? 'ApiError'
                : undefined;
        return [
          status,
          schema
            ? {
                description,
                content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
              }
            : { description },
        ];
      }),
    ),
  };
}
