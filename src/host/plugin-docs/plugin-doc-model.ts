import { dirname, relative, sep } from 'node:path';
import type {
  Contributions,
  DependencySpec,
  Diagnostic,
  ExtendsSpec,
  JsonSchema,
  Permissions,
  PluginCategory,
  RuntimeKind,
} from '../../types.js';
import type { PluginRecord } from '../plugin-record.js';
import { manifestOf } from './legacy-manifest.js';

/**
 * What the generated docs say about one plugin: manifest facts only (no state, times or absolute
 * paths), so that the same plugins give the same documents on every machine.
 */
export interface PluginDoc {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly version: string | null;
  readonly type: PluginCategory;
  readonly trust: string;
  readonly legacy: boolean;
  readonly permissions: Permissions | null;
  readonly dependencies: readonly DependencySpec[];
  readonly extends: readonly ExtendsSpec[];
  readonly contributes: Contributions | null;
  readonly configSchema: JsonSchema | undefined;
  /** The runtime the manifest declares (the isolation policy may run the plugin in a stronger one). */
  readonly runtime: RuntimeKind | null;
  /** Manifest problems as `place: severity: message [CODE]`, places relative to the plugins folder. */
  readonly problems: readonly string[];
}

/** The docs of every plugin but the core ones, sorted by id. */
export function pluginDocsOf(records: readonly PluginRecord[]): PluginDoc[] {
  return records
    .filter((r) => r.category !== 'core')
    .map(docOf)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function docOf(record: PluginRecord): PluginDoc {
  const manifest = manifestOf(record);
  return {
    id: record.id,
    name: manifest?.name ?? record.identity.name ?? record.id,
    description: manifest?.description ?? '',
    version: manifest?.version ?? record.identity.version ?? null,
    type: record.category,
    // What plugin.yaml declares: where the host runs it also depends on the operator's isolation flags.
    runtime: record.declaredRuntime ?? manifest?.runtime ?? null,
    trust: record.trust,
    legacy: record.legacy,
    permissions: manifest?.permissions ?? null,
    dependencies: manifest?.dependencies ?? [],
    extends: manifest?.extends ?? [],
    contributes: manifest?.contributes ?? null,
    configSchema: manifest?.config_schema.schema,
    problems: record.diagnostics.filter(isPluginFact).map((d) => problemLine(record, d)),
  };
}

/**
 * Whether a problem belongs to the plugin itself. Where the isolation policy lets a plugin run depends
 * on the operator's flags (`--allow-inprocess`), not on the plugin, so its refusals stay out of the
 * docs (the report shows them).
 */
function isPluginFact(diagnostic: Diagnostic): boolean {
  return diagnostic.code !== 'JOVIAN_E_ISOLATION_REFUSED';
}

/** `my_plugin/plugin.yaml:3:1: error: … [CODE]`, the place relative to the plugins folder. */
export function problemLine(record: Pick<PluginRecord, 'dir' | 'file'>, d: Diagnostic): string {
  const base =
    record.file.endsWith('.lua') && dirname(record.file) === record.dir ? record.dir : dirname(record.dir);
  const place = d.where
    ? `${relative(base, d.where.file).split(sep).join('/')}:${d.where.line}:${d.where.column}: `
    : '';
  return `${place}${d.severity}: ${d.message} [${d.code}]`;
}
