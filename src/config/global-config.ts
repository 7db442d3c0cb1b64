import type { JsonSchema } from '../types.js';
import { parseYamlSource } from '../util/index.js';
import { checkValues } from './check-values.js';
import { ConfigError } from './config-error.js';
import { readYamlFile } from './yaml-file.js';

export type LogLevelSetting = 'debug' | 'info' | 'warn' | 'error';

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
  readonly security: {
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
    security: {
      type: 'object',
      additionalProperties: false,
      properties: {
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
  const security = (raw.security ?? {}) as {
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
    security: {
      allow_unsigned_local_plugins: security.allow_unsigned_local_plugins === true,
      isolation: { floor: floor as GlobalConfig['security']['isolation']['floor'], allow },
    },
  };
}

/** A feature flag from jovian.yaml (`features.<name>`), false when absent. */
export function isFeatureEnabled(config: GlobalConfig, name: string): boolean {
  return config.features[name] === true;
}
