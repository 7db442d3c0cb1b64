import { basename } from 'node:path';
import { diagnostic } from '../errors.js';
import type { Diagnostic, JsonSchema, Manifest } from '../types.js';
import { deriveActivation } from './activation.js';
import { deepFreeze, normaliseContributions } from './normalise.js';
import type { ParsedManifest } from './parse-manifest.js';
import { canonicalPermission, normalisePermissions } from './permissions.js';
import { PLUGIN_ID_RE } from './vocabulary.js';

/** What the host found in a legacy module (one without plugin.yaml). */
export interface LegacyDescription {
  /** `object`: an exported `plugin` with `meta` and start/stop/run. `class`: a class with `on_*` methods. */
  readonly kind: 'object' | 'class';
  readonly meta: {
    readonly name?: unknown;
    readonly description?: unknown;
    readonly version?: unknown;
    readonly permissions?: unknown;
    readonly inputs?: unknown;
  };
  /** `on_*` methods, each tapping the host hook of the same name. */
  readonly hookMethods: readonly string[];
}

/**
 * Builds the manifest of a legacy plugin with safe defaults: type `tool`, runtime `inprocess`, engines
 * `*`, no permissions beyond those its `meta.permissions` lists (synonyms normalised), version
 * `meta.version` or `0.0.0`, `legacy: true`. Its id is its folder name. `meta.inputs.schema` may be a JSON
 * Schema or a mapping of field names to types (`{ city: 'string' }`, required) or to JSON Schemas
 * (optional unless `required: true`).
 */
export function manifestFromLegacy(
  description: LegacyDescription,
  dir: string,
  file: string,
  reservedIds: ReadonlySet<string>,
): ParsedManifest {
  const id = basename(dir);
  const where = { file, line: 1, column: 1 };
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, hint?: string): void => {
    diagnostics.push({
      ...diagnostic('JOVIAN_E_LEGACY_INVALID', message, hint ? { hint } : {}),
      where,
      plugin: id,
    });
  };
  if (!PLUGIN_ID_RE.test(id)) {
    diagnostics.push({
      ...diagnostic(
        'JOVIAN_E_MANIFEST_BAD_ID',
        `legacy plugin folder name \`${id}\` is not a valid plugin id`,
      ),
      where,
      plugin: id,
    });
  } else if (reservedIds.has(id)) {
    diagnostics.push({
      ...diagnostic('JOVIAN_E_MANIFEST_RESERVED_ID', `the id \`${id}\` is reserved for a core plugin`),
      where,
      plugin: id,
    });
  }
  const meta = description.meta;
  const words = meta.permissions ?? [];
  if (
    !Array.isArray(words) ||
    words.some((w) => typeof w !== 'string' || canonicalPermission(w) === undefined)
  ) {
    fail(
      `meta.permissions must be a list of fs_read, fs_write, run_commands, network_outbound, net, network, filesystem or process`,
    );
  }
  const permissions = normalisePermissions(
    Array.isArray(words) ? words.filter((w) => canonicalPermission(String(w))) : [],
    (d) => diagnostics.push({ ...d, where, plugin: id }),
  );
  const inputs = legacyInputsSchema((meta.inputs as { schema?: unknown } | undefined)?.schema, fail);
  const version = typeof meta.version === 'string' ? meta.version : '0.0.0';
  const name = typeof meta.name === 'string' ? meta.name : id;
  const identity = { id, name, version, type: 'tool' as const };
  if (diagnostics.some((d) => d.severity === 'error')) return { manifest: undefined, identity, diagnostics };
  const contributes = normaliseContributions({ hooks: [...description.hookMethods] });
  const manifest: Manifest = deepFreeze({
    id,
    name,
    description: typeof meta.description === 'string' ? meta.description : '',
    type: 'tool',
    version,
    engines: { jovian: '*' },
    main: basename(file),
    runtime: 'inprocess',
    activation: deriveActivation('tool', contributes),
    activation_derived: true,
    contributes,
    permissions,
    config_schema: { version: 1 },
    inputs,
    i18n: [],
    dependencies: [],
    extends: [],
    limits: {},
    legacy: true,
  });
  return { manifest, identity, diagnostics };
}

function legacyInputsSchema(raw: unknown, fail: (message: string) => void): JsonSchema | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    fail('meta.inputs.schema must be a JSON Schema or a mapping of field names to types');
    return undefined;
  }
  const record = raw as Record<string, unknown>;
  if (typeof record.type === 'string' || typeof record.properties === 'object') return record;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [field, spec] of Object.entries(record)) {
    if (typeof spec === 'string') {
      properties[field] = { type: spec };
      required.push(field);
    } else if (typeof spec === 'object' && spec !== null) {
      const { required: isRequired, ...schema } = spec as Record<string, unknown>;
      properties[field] = schema;
      if (isRequired === true) required.push(field);
    } else {
      fail(`meta.inputs.schema.${field} must be a type name or a JSON Schema`);
    }
  }
  return { type: 'object', properties, required, additionalProperties: false };
}
