import type {
  Contributions,
  DependencySpec,
  ExtendsSpec,
  HookTapContribution,
  JsonSchema,
  Manifest,
  Permissions,
  RestartPolicy,
  RuntimeKind,
} from '../types.js';
import { deriveActivation } from './activation.js';
import type { RawManifest } from './schema.js';

type RawContributes = NonNullable<RawManifest['contributes']>;

/**
 * Applies every default to a schema-valid manifest. Nothing deeper than this function reads raw
 * manifest fields: a minimal manifest (id, type, version, engines, main) comes out with no permissions,
 * no contributions, config version 1 and the `inprocess` runtime.
 */
export function normaliseManifest(raw: RawManifest, permissions: Permissions): Manifest {
  const contributes = normaliseContributions(raw.contributes);
  const explicit = raw.activation !== undefined;
  return deepFreeze({
    id: raw.id,
    name: raw.name ?? raw.id,
    description: raw.description ?? '',
    type: raw.type,
    version: raw.version,
    author: raw.author,
    license: raw.license,
    engines: { jovian: raw.engines.jovian },
    main: raw.main ?? '',
    runtime: (raw.runtime ?? 'inprocess') as RuntimeKind,
    command: raw.command ? [...raw.command] : undefined,
    webhook: raw.webhook ? { ...raw.webhook } : undefined,
    activation: explicit ? [...new Set(raw.activation)] : deriveActivation(raw.type, contributes),
    activation_derived: !explicit,
    contributes,
    permissions,
    config_schema: {
      version: raw.config_schema?.version ?? 1,
      schema: raw.config_schema?.schema as JsonSchema | undefined,
    },
    inputs: raw.inputs as JsonSchema | undefined,
    i18n: raw.i18n ?? [],
    dependencies: (raw.dependencies ?? []).map(
      (d): DependencySpec => ({ id: d.id, version: d.version ?? '*', optional: d.optional ?? false }),
    ),
    extends: (raw.extends ?? []).map(
      (e): ExtendsSpec =>
        typeof e === 'string' ? { id: e, version: '*' } : { id: e.id, version: e.version ?? '*' },
    ),
    limits: { ...raw.limits },
    restart: raw.restart as RestartPolicy | undefined,
    changelog: raw.changelog,
    legacy: false,
  });
}

export const EMPTY_CONTRIBUTIONS: Contributions = deepFreeze(normaliseContributions(undefined));

export function normaliseContributions(raw: RawContributes | undefined): Contributions {
  const metrics = raw?.metrics;
  return {
    hooks: (raw?.hooks ?? []).map(normaliseHookTap),
    commands: (raw?.commands ?? []).map((c) => ({ name: c.name, description: c.description ?? '' })),
    routes: (raw?.routes ?? []).map((r) => ({
      method: (r.method ?? 'GET') as Contributions['routes'][number]['method'],
      path: r.path,
      description: r.description ?? '',
    })),
    ui: {
      panels: (raw?.ui?.panels ?? []).map((p) => ({
        id: p.id,
        title_key: p.title_key,
        mount_point: p.mount_point ?? 'main_area',
        route: p.route,
      })),
      widgets: (raw?.ui?.widgets ?? []).map((w) => ({ id: w.id, mount_point: w.mount_point })),
      settings_frame: raw?.ui?.settings_frame ?? false,
    },
    events: { emit: raw?.events?.emit ?? [], subscribe: raw?.events?.subscribe ?? [] },
    jobs: {
      default_timeout: raw?.jobs?.default_timeout,
      max_concurrent: raw?.jobs?.max_concurrent,
      handlers: (raw?.jobs?.handlers ?? []).map((h) => ({
        name: h.name,
        description: h.description ?? '',
        ...(h.params ? { params: h.params as JsonSchema } : {}),
      })),
    },
    metrics:
      typeof metrics === 'object' && metrics.interval_ms !== undefined
        ? { enabled: metrics.enabled, interval_ms: metrics.interval_ms }
        : { enabled: typeof metrics === 'boolean' ? metrics : (metrics?.enabled ?? false) },
  };
}

function normaliseHookTap(
  raw: RawContributes['hooks'] extends readonly (infer T)[] | undefined ? T : never,
): HookTapContribution {
  if (typeof raw === 'string') return { name: raw, stage: 0, before: [] };
  const before = raw.before === undefined ? [] : typeof raw.before === 'string' ? [raw.before] : raw.before;
  return { name: raw.name, stage: raw.stage ?? 0, before };
}

/** Freezes a manifest so that no plugin or host code can change what was validated. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
