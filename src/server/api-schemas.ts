/**
 * JSON Schemas of what the API answers, for the OpenAPI document at /api/docs. They describe the types
 * of api-types.ts (test/unit/server/api-types.test.ts checks that every value of those types fits):
 * a client generator gets the same shapes the WebUI compiles against.
 */
import Type from 'typebox';
import { JOB_STATES, PLUGIN_STATES, RUNTIME_KINDS } from '../types.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** An object the client may read more of than listed (the server sends more than it promises). */
const Open = { additionalProperties: true };

/** An error as data (errorToData): code, name, message, hint. */
const ErrorData = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    message: Type.String(),
    hint: Type.Optional(Type.String()),
  },
  Open,
);
const PluginState = Type.Enum([...PLUGIN_STATES]);
const RuntimeKind = Type.Enum([...RUNTIME_KINDS]);
const LogLevel = Type.Enum(['debug', 'info', 'warn', 'error']);

export const ApiErrorBodySchema = Type.Object({
  code: Type.String({ description: 'A JOVIAN_E_* code (docs/errors.md).' }),
  message: Type.String(),
  hint: Nullable(Type.String()),
});

export const ApiErrorSchema = Type.Object({ error: ApiErrorBodySchema }, Open);

export const ApiPluginSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.Enum(['core', 'system', 'tool']),
  version: Nullable(Type.String()),
  runtime: Nullable(RuntimeKind),
  state: PluginState,
  reason: Nullable(Type.String()),
  reasonCode: Nullable(Type.String()),
  legacy: Type.Boolean(),
  breaker: Type.Enum(['closed', 'open', 'half_open']),
  trust: Type.String({ description: '`official`, `verified`, `community` or `unsigned`.' }),
  signature: Nullable(
    Type.Object(
      {
        signer: Type.String({ description: 'The trust-store principal of the key that signed it.' }),
        fingerprint: Type.String({ description: '`SHA256:…`, as `ssh-keygen -l` prints it.' }),
        date: Type.String({ format: 'date-time', description: 'When plugin.sig was last written.' }),
      },
      { description: 'Who signed it and when, when its signature verified at load; null otherwise.' },
    ),
  ),
  dev_unsigned: Type.Boolean({
    description: 'Unsigned, loaded only because strict mode allows unsigned local plugins.',
  }),
  permissions: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
    description: 'What plugin.yaml lets it touch (docs/permissions.md); null without a manifest.',
  }),
});

export const ApiHealthCheckSchema = Type.Object({
  status: Type.Enum(['ok', 'degraded', 'failing']),
  message: Nullable(Type.String()),
  checkedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Number({ minimum: 0 }),
  failures: Type.Integer({ minimum: 0, description: 'Failing checks in a row.' }),
});

export const ApiPluginDetailsSchema = Type.Intersect([
  ApiPluginSummarySchema,
  Type.Object(
    {
      description: Type.String(),
      author: Nullable(Type.String()),
      license: Nullable(Type.String()),
      dir: Type.String(),
      manifestFile: Type.String(),
      activation: Type.Array(Type.String()),
      dependencies: Type.Array(
        Type.Object({ id: Type.String(), version: Type.String(), optional: Type.Boolean() }),
      ),
      contributes: Type.Unknown({ description: 'The normalised contributes of the manifest, or null.' }),
      failures: Type.Integer({ minimum: 0 }),
      declaredRuntime: Nullable(RuntimeKind),
      since: Type.String({ format: 'date-time' }),
      outcome: Type.Object(
        { activatedAt: Type.Optional(Type.String()), error: Type.Optional(Type.Unknown()) },
        Open,
      ),
      diagnostics: Type.Array(
        Type.Object({ code: Type.String(), severity: Type.String(), message: Type.String() }, Open),
      ),
      healthCheck: Nullable(ApiHealthCheckSchema),
      usage: Type.Object({
        calls: Type.Integer({
          minimum: 0,
          description: 'Hook calls and calls into the plugin since the host started.',
        }),
        lastCallAt: Nullable(Type.String({ format: 'date-time' })),
        averageMs: Nullable(Type.Number({ minimum: 0 })),
      }),
    },
    Open,
  ),
]);

export const ApiPluginListSchema = Type.Object({ plugins: Type.Array(ApiPluginSummarySchema) });

export const ApiEnableResultSchema = Type.Object({
  id: Type.String(),
  enabled: Type.Boolean(),
  state: PluginState,
  file: Type.String(),
  overriddenBy: Type.Optional(Type.String()),
});

export const ApiReloadResultSchema = Type.Object({
  id: Type.String(),
  ok: Type.Boolean({ description: 'True when the new version is the one that serves now.' }),
  from: Type.String({ description: 'The version that served before.' }),
  to: Type.Optional(Type.String({ description: 'The version read from disk (absent when unreadable).' })),
  wasActive: Type.Boolean({
    description: 'The plugin was running: the new version runs now (or the old one still).',
  }),
  rolledBack: Type.Optional(Type.Boolean({ description: 'On failure: the previous version serves again.' })),
  error: Type.Optional(ErrorData),
  crashDump: Type.Optional(Type.String({ description: 'On failure: the crash dump written.' })),
});

export const ApiLogLineSchema = Type.Object({
  plugin: Type.String(),
  level: LogLevel,
  message: Type.String(),
  data: Type.Optional(Type.Unknown()),
  at: Type.Number({ description: 'Milliseconds since the epoch.' }),
});

export const ApiLogLinesSchema = Type.Object({ lines: Type.Array(ApiLogLineSchema) });

export const ApiPluginConfigSchema = Type.Object({
  file: Type.String(),
  values: Type.Record(Type.String(), Type.Unknown()),
  schema: Nullable(Type.Object({}, { ...Open, description: "The plugin's config_schema.schema." })),
});

const ApiConfigChangeSchema = Type.Object({
  key: Type.String(),
  from: Type.Unknown(),
  to: Type.Unknown(),
});

export const ApiConfigUpdateSchema = Type.Object({
  dryRun: Type.Boolean(),
  changes: Type.Array(ApiConfigChangeSchema),
  file: Type.Optional(Type.String()),
  values: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const ApiConfigIssueSchema = Type.Object({
  pointer: Type.String({ description: 'A JSON pointer to the value, e.g. /limits/max.' }),
  key: Type.String(),
  kind: Type.String(),
  message: Type.String(),
  code: Type.String(),
});

export const ApiConfigRefusalSchema = Type.Object({
  error: ApiErrorBodySchema,
  issues: Type.Array(ApiConfigIssueSchema),
});

export const ApiHealthSchema = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  mode: Type.String({
    description: '`ok`, or `degraded: <id> — <message>` for each system plugin at fault.',
  }),
  version: Type.String(),
  degradedBy: Type.Array(
    Type.Object({
      id: Type.String(),
      state: PluginState,
      reason: Nullable(Type.String()),
      check: Nullable(ApiHealthCheckSchema),
    }),
  ),
  plugins: Type.Record(
    Type.String(),
    Type.Object({
      state: PluginState,
      reason: Nullable(Type.String()),
      check: Nullable(ApiHealthCheckSchema),
    }),
  ),
});

export const ApiAuditRecordSchema = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  at: Type.String({ format: 'date-time' }),
  plugin: Type.String(),
  action: Type.String(),
  target: Type.String(),
  decision: Type.Enum(['allow', 'deny']),
  permission: Nullable(Type.Enum(['fs_read', 'fs_write', 'run_commands', 'network_outbound'])),
  reason: Type.String(),
  details: Type.Unknown({
    description: "JSON data, e.g. a config change's { changes: [{ key, from, to }] }.",
  }),
  prevHash: Type.String({ description: 'The hash of the record before (64 zeros for the first).' }),
  hash: Type.String({
    description: 'sha256 of the canonical serialisation of the record (docs/server.md#audit).',
  }),
});

export const ApiAuditListSchema = Type.Object({ records: Type.Array(ApiAuditRecordSchema) });

const ApiUiProblemSchema = Type.Object({
  plugin: Type.String(),
  contribution: Type.String(),
  message: Type.String(),
});

export const ApiUiContributionsSchema = Type.Object({
  panels: Type.Array(
    Type.Object({
      plugin: Type.String(),
      id: Type.String(),
      titleKey: Nullable(Type.String()),
      module: Type.String({ description: 'The ES module to import: /plugins/<id>/assets/panels/<panel>.js' }),
    }),
  ),
  widgets: Type.Array(
    Type.Object({
      plugin: Type.String(),
      id: Type.String(),
      mountPoint: Type.String(),
      module: Type.String(),
    }),
  ),
  problems: Type.Array(ApiUiProblemSchema),
});

export const ApiI18nMessagesSchema = Type.Object({
  locale: Type.String(),
  messages: Type.Record(Type.String(), Type.String()),
  problems: Type.Array(ApiUiProblemSchema),
});

export const ApiPluginMetricsSchema = Type.Object({
  id: Type.String(),
  declared: Type.Boolean(),
  values: Nullable(Type.Record(Type.String(), Type.Number())),
  at: Type.String({ format: 'date-time' }),
});

export const ApiPanelAnswerSchema = Type.Object({
  data: Type.Unknown({ description: "What the plugin's panel provider answered." }),
});

export const ApiMetricsSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  metrics: Type.Array(
    Type.Object({
      name: Type.String(),
      help: Type.String(),
      type: Type.String({ description: '`counter`, `gauge` or `histogram`.' }),
      values: Type.Array(
        Type.Object({
          labels: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
          value: Type.Number(),
          metricName: Type.Optional(
            Type.String({
              description: 'A histogram series: `<name>_bucket`, `<name>_sum`, `<name>_count`.',
            }),
          ),
        }),
      ),
    }),
  ),
});

export const ApiLogLevelStateSchema = Type.Object({
  id: Type.String(),
  level: Nullable(LogLevel),
  effective: LogLevel,
  floor: LogLevel,
  debugUntil: Nullable(Type.String({ format: 'date-time' })),
});
export const ApiJobSchema = Type.Object({
  id: Type.String(),
  plugin: Type.String(),
  name: Type.String({ description: 'The handler, from contributes.jobs.handlers.' }),
  params: Type.Unknown(),
  state: Type.Enum([...JOB_STATES]),
  progress: Type.Number({ minimum: 0, maximum: 100 }),
  message: Nullable(Type.String()),
  etaSeconds: Nullable(Type.Number({ minimum: 0 })),
  submittedBy: Type.String({ description: '`api`, `cli`, or the plugin that submitted it.' }),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  timeoutMs: Type.Number(),
  result: Type.Unknown({ description: 'What the handler returned (completed jobs), else null.' }),
  error: Nullable(ErrorData),
});

export const ApiJobListSchema = Type.Object({ jobs: Type.Array(ApiJobSchema) });

const ApiInstallPlanSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    version: Type.String(),
    runtime: Type.String(),
    source: Type.Object({
      kind: Type.Enum(['folder', 'archive', 'url', 'catalog']),
      origin: Type.String(),
    }),
    hash: Type.String({ description: "`sha256:<hex>` of the package's MANIFEST.json." }),
    trust: Type.String({ description: '`official`, `verified`, `community` or `unsigned`.' }),
    signature: Nullable(Type.Object({ signer: Type.String(), fingerprint: Type.String() })),
    unsigned: Nullable(Type.String({ description: 'Why the package counts as unsigned.' })),
    action: Type.Enum(['install', 'update', 'reinstall', 'downgrade']),
    previous: Nullable(Type.Object({ version: Type.String() })),
    permissions: Type.Array(Type.String(), { description: 'Everything it may touch, in plain words.' }),
    changes: Type.Array(
      Type.Object({
        permission: Type.Enum(['fs_read', 'fs_write', 'run_commands', 'network_outbound']),
        change: Type.Enum(['added', 'widened', 'narrowed', 'removed']),
        words: Type.String(),
      }),
      { description: 'On update: how permissions change; `added` and `widened` need consent.' },
    ),
    consent: Type.Array(Type.String(), { description: 'Why consent is needed; empty when it is not.' }),
    missing: Type.Array(Type.Object({ id: Type.String(), range: Type.String() })),
  },
  Open,
);

export const ApiInstallAnswerSchema = Type.Object({
  status: Type.Enum(['installed', 'unchanged', 'dry-run', 'needs-consent', 'up-to-date']),
  outcomes: Type.Array(
    Type.Object({
      status: Type.Enum(['installed', 'unchanged', 'dry-run', 'needs-consent']),
      plan: ApiInstallPlanSchema,
    }),
  ),
  upload: Nullable(
    Type.String({ description: 'The uploaded package kept for a second request (`{ "upload": … }`).' }),
  ),
});

export const ApiInstalledPackagesSchema = Type.Object({
  installed: Type.Array(
    Type.Object({
      id: Type.String(),
      version: Type.String(),
      kept: Type.Array(Type.String(), { description: 'The other versions kept, for a rollback.' }),
    }),
  ),
});

export const ApiAvailableUpdatesSchema = Type.Object({
  updates: Type.Array(
    Type.Object({
      id: Type.String(),
      installed: Type.String(),
      available: Type.String(),
      url: Type.String(),
    }),
  ),
});

export const ApiUninstallResultSchema = Type.Object({
  id: Type.String(),
  version: Type.String(),
  disabled: Type.Array(Type.String(), { description: 'Plugins that required it, disabled by `cascade=1`.' }),
});

export const ApiRollbackResultSchema = Type.Object({
  id: Type.String(),
  from: Type.String(),
  to: Type.String(),
});

/** The schemas /api/docs lists under components.schemas, by name. */
export const API_SCHEMAS = {
  ApiError: ApiErrorSchema,
  ApiPluginList: ApiPluginListSchema,
  ApiPluginDetails: ApiPluginDetailsSchema,
  ApiEnableResult: ApiEnableResultSchema,
  ApiReloadResult: ApiReloadResultSchema,
  ApiLogLines: ApiLogLinesSchema,
  ApiPluginConfig: ApiPluginConfigSchema,
  ApiConfigUpdate: ApiConfigUpdateSchema,
  ApiConfigRefusal: ApiConfigRefusalSchema,
  ApiHealth: ApiHealthSchema,
  ApiAuditList: ApiAuditListSchema,
  ApiUiContributions: ApiUiContributionsSchema,
  ApiI18nMessages: ApiI18nMessagesSchema,
  ApiPluginMetrics: ApiPluginMetricsSchema,
  ApiPanelAnswer: ApiPanelAnswerSchema,
  ApiMetrics: ApiMetricsSchema,
  ApiLogLevelState: ApiLogLevelStateSchema,
  ApiJob: ApiJobSchema,
  ApiJobList: ApiJobListSchema,
  ApiInstallAnswer: ApiInstallAnswerSchema,
  ApiAvailableUpdates: ApiAvailableUpdatesSchema,
  ApiInstalledPackages: ApiInstalledPackagesSchema,
  ApiUninstallResult: ApiUninstallResultSchema,
  ApiRollbackResult: ApiRollbackResultSchema,
} as const;

export type ApiSchemaName = keyof typeof API_SCHEMAS;
