import type { JsonSchema } from '../types.js';
import { parseYamlSource } from '../util/index.js';
import { checkValues } from './check-values.js';
import { ConfigError } from './config-error.js';
import { readYamlFile } from './yaml-file.js';

export type LogLevelSetting = 'debug' | 'info' | 'warn' | 'error';
/** How the host treats plugins whose signature is missing or does not verify (docs/packaging.md). */
export type SecurityMode = 'strict' | 'permissive';

/** jovian.yaml, normalised: every field present. */
export interface GlobalConfig {
  readonly file: string;
  readonly plugins: Readonly<Record<string, { readonly enabled?: boolean | undefined }>>;
  readonly features: Readonly<Record<string, boolean>>;
  readonly developer_mode: boolean;
  /** The global log level: the floor of every plugin's level outside developer mode. */
  readonly log_level: LogLevelSetting;
  /** Health checks of active plugins (docs/lifecycle.md#health-checks); absent keys keep the host's defaults. */
  readonly health: {
    readonly interval_ms?: number | undefined;
    readonly timeout_ms?: number | undefined;
    readonly failure_threshold?: number | undefined;
  };
  /** Per-plugin log files: rotated past `max_file_bytes`, `files_kept` rotated files kept. */
  readonly logs: { readonly max_file_bytes: number; readonly files_kept: number };
  /** How often plugins' own metrics() are read while they are active (ms). */
  readonly metrics: { readonly interval_ms: number };
  /** Defaults for plugins' jobs (docs/configuration.md); a plugin's contributes.jobs wins. */
  readonly jobs: JobsSettings;
  /** Installing plugins (docs/packaging.md#install): the catalog, and versions kept for rollback. */
  readonly packages: { readonly catalog?: string | undefined; readonly keep_versions: number };
  readonly security: {
    /**
     * `strict`: a plugin whose signature is missing or does not verify is refused (unsigned ones load
     * when `allow_unsigned_local_plugins`); `permissive` (default): it loads as `unsigned`.
     */
    readonly mode: SecurityMode;
    /** In strict mode, plugins without a signature load as `unsigned`, flagged "dev / unsigned". */
    readonly allow_unsigned_local_plugins: boolean;
    /** The least isolation per trust level (absent levels keep the default) and the plugins allowed below it. */
    readonly isolation: {
      readonly floor: Readonly<
        Partial<
          Record<'official' | 'verified' | 'community' | 'unsigned', 'inprocess' | 'worker' | 'process'>
        >
      >;
      readonly allow: readonly string[];
    };
  };
}

/** Per-plugin log files: 10 MiB each, 5 rotated files kept. */
export const DEFAULT_LOG_FILES = { max_file_bytes: 10 * 1024 * 1024, files_kept: 5 } as const;
/** Plugins' own metrics() are read every 15 s by default. */
export const DEFAULT_METRICS_INTERVAL_MS = 15_000;
export interface JobsSettings {
  /** Seconds a job may run when its plugin declares no default_timeout. Default 600. */
  readonly default_timeout: number;
  /** Jobs of one plugin running at once when it declares no max_concurrent. Default 2. */
  readonly max_concurrent: number;
  /** Seconds a cancelled job's handler has to stop before the job is marked cancelled anyway. Default 5. */
  readonly cancel_grace: number;
  /** Finished jobs are kept this many days, and at most this many. Defaults 30 and 1000. */
  readonly retention: { readonly days: number; readonly count: number };
}

export const DEFAULT_JOBS_SETTINGS: JobsSettings = {
  default_timeout: 600,
  max_concurrent: 2,
  cancel_grace: 5,
  retention: { days: 30, count: 1000 },
};

const FLOOR = { enum: ['inprocess', 'worker', 'process'] };

export const GLOBAL_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    plugins: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { enabled: { type: 'boolean' } },
      },
    },
    features: { type: 'object', additionalProperties: { type: 'boolean' } },
    developer_mode: { type: 'boolean' },
    log_level: { enum: ['debug', 'info', 'warn', 'error'] },
    health: {
      type: 'object',
      additionalProperties: false,
      properties: {
        interval_ms: { type: 'integer', minimum: 10 },
        timeout_ms: { type: 'integer', minimum: 1 },
        failure_threshold: { type: 'integer', minimum: 1 },
      },
    },
    logs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max_file_bytes: { type: 'integer', minimum: 1024 },
        files_kept: { type: 'integer', minimum: 0, maximum: 100 },
      },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      properties: { interval_ms: { type: 'integer', minimum: 1000 } },
    },
    jobs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        default_timeout: { type: 'number', exclusiveMinimum: 0 },
        max_concurrent: { type: 'integer', minimum: 1 },
        cancel_grace: { type: 'number', minimum: 0 },
        retention: {
          type: 'object',
          additionalProperties: false,
          properties: {
            days: { type: 'number', exclusiveMinimum: 0 },
            count: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    packages: {
      type: 'object',
      additionalProperties: false,
      properties: {
        catalog: { type: 'string', minLength: 1 },
        keep_versions: { type: 'integer', minimum: 1, maximum: 20 },
      },
    },
    security: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { enum: ['strict', 'permissive'] },
        allow_unsigned_local_plugins: { type: 'boolean' },
        isolation: {
          type: 'object',
          additionalProperties: false,
          properties: {
            official: FLOOR,
            verified: FLOOR,
            community: FLOOR,
            unsigned: FLOOR,
            allow: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
};

/**
 * Reads the global configuration (a missing file means every default).
 * @throws ConfigError (`JOVIAN_E_CONFIG_INVALID` / `JOVIAN_E_CONFIG_UNKNOWN_KEY`) listing every problem,
 * or a YAML error, each at file:line:column.
 */
export async function loadGlobalConfig(file: string): Promise<GlobalConfig> {
  const { exists, source } = await readYamlFile(file);
  // Nothing to check in a file that does not exist (and no schema compiler to load for it).
  if (exists) await assertValid(source.value, source.locate);
  return normaliseGlobal(file, source.value as Record<string, unknown>);
}

/** Checks the text of a global config before it is written. */
export async function checkGlobalText(text: string, file: string): Promise<void> {
  const source = parseYamlSource(text, file, { allowEmpty: true });
  await assertValid(source.value, source.locate);
}

async function assertValid(value: unknown, locate: Parameters<typeof checkValues>[2]): Promise<void> {
  const issues = await checkValues(value, GLOBAL_CONFIG_SCHEMA, locate);
  if (issues.length > 0)
    throw new ConfigError(issues, 'see docs/configuration.md for the keys of jovian.yaml');
}

function normaliseGlobal(file: string, raw: Record<string, unknown>): GlobalConfig {
  const packages = (raw.packages ?? {}) as { catalog?: string; keep_versions?: number };
  const security = (raw.security ?? {}) as {
    mode?: SecurityMode;
    allow_unsigned_local_plugins?: boolean;
    isolation?: Record<string, unknown> & { allow?: string[] };
  };
  const { allow = [], ...floor } = security.isolation ?? {};
  const logs = (raw.logs ?? {}) as { max_file_bytes?: number; files_kept?: number };
  const metrics = (raw.metrics ?? {}) as { interval_ms?: number };
  return {
    file,
    plugins: (raw.plugins ?? {}) as GlobalConfig['plugins'],
    features: (raw.features ?? {}) as GlobalConfig['features'],
    developer_mode: raw.developer_mode === true,
    log_level: (raw.log_level as LogLevelSetting | undefined) ?? 'info',
    health: (raw.health ?? {}) as GlobalConfig['health'],
    logs: {
      max_file_bytes: logs.max_file_bytes ?? DEFAULT_LOG_FILES.max_file_bytes,
      files_kept: logs.files_kept ?? DEFAULT_LOG_FILES.files_kept,
    },
    metrics: { interval_ms: metrics.interval_ms ?? DEFAULT_METRICS_INTERVAL_MS },
    jobs: normaliseJobs(
      raw.jobs as Partial<Omit<JobsSettings, 'retention'>> & {
        retention?: Partial<JobsSettings['retention']>;
      },
    ),
    packages: { catalog: packages.catalog, keep_versions: packages.keep_versions ?? 2 },
    security: {
      mode: security.mode ?? 'permissive',
      allow_unsigned_local_plugins: security.allow_unsigned_local_plugins === true,
      isolation: { floor: floor as GlobalConfig['security']['isolation']['floor'], allow },
    },
  };
}

function normaliseJobs(
  raw:
    | (Partial<Omit<JobsSettings, 'retention'>> & { retention?: Partial<JobsSettings['retention']> })
    | undefined,
): JobsSettings {
  const defaults = DEFAULT_JOBS_SETTINGS;
  return {
    default_timeout: raw?.default_timeout ?? defaults.default_timeout,
    max_concurrent: raw?.max_concurrent ?? defaults.max_concurrent,
    cancel_grace: raw?.cancel_grace ?? defaults.cancel_grace,
    retention: {
      days: raw?.retention?.days ?? defaults.retention.days,
      count: raw?.retention?.count ?? defaults.retention.count,
    },
  };
}

/** A feature flag from jovian.yaml (`features.<name>`), false when absent. */
export function isFeatureEnabled(config: GlobalConfig, name: string): boolean {
  return config.features[name] === true;
}
