import { JovianError } from '../errors.js';
import { rereadPlugin } from '../manifest/index.js';
import type { Diagnostic, Manifest, RuntimeKind } from '../types.js';
import type { PluginCode, PluginRecord } from './plugin-record.js';

/** A version of a plugin as the registry holds it: what a reload puts in place, or a rollback back. */
export interface PluginVersion {
  readonly manifest: Manifest;
  readonly declaredRuntime: RuntimeKind | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly code: PluginCode | undefined;
}

/** What reading a new version needs from the host. */
export interface VersionSource {
  readonly reservedIds: ReadonlySet<string>;
  /** The manifest the plugin would run with (isolation policy applied) and its new problems. */
  place(
    record: PluginRecord,
    manifest: Manifest,
  ): { manifest: Manifest; declaredRuntime: RuntimeKind | undefined; diagnostics: Diagnostic[] };
}

/**
 * The plugin as it is on disk now (its plugin.yaml, or its Lua file's header), placed by the
 * isolation policy, to be loaded as version `cacheBust`. Nothing is touched.
 * @throws JOVIAN_E_RELOAD_FAILED when it cannot be read, its id changed, or it may not run
 */
export function readVersion(host: VersionSource, record: PluginRecord, cacheBust: string): PluginVersion {
  const layout = record.file.endsWith('.lua') ? 'file' : 'folder';
  const found = rereadPlugin({ dir: record.dir, file: record.file, layout }, host.reservedIds);
  if (!found?.manifest) {
    const problem = found?.diagnostics.find((d) => d.severity === 'error');
    throw new JovianError(
      'JOVIAN_E_RELOAD_FAILED',
      problem
        ? `${where(problem)}${problem.message} [${problem.code}]`
        : `plugin \`${record.id}\` is no longer at ${record.file}`,
      { hint: problem?.hint ?? 'put the plugin back, or restart the host to forget it' },
    );
  }
  if (found.manifest.id !== record.id) {
    throw new JovianError(
      'JOVIAN_E_RELOAD_FAILED',
      `${record.file}: the id changed from \`${record.id}\` to \`${found.manifest.id}\`; a new id is a new plugin`,
      { hint: 'put the id back, or restart the host to load it as a new plugin' },
    );
  }
  const placed = host.place(record, found.manifest);
  const refused = placed.diagnostics.find((d) => d.severity === 'error');
  if (refused) throw new JovianError('JOVIAN_E_RELOAD_FAILED', refused.message, { hint: refused.hint });
  return {
    manifest: placed.manifest,
    declaredRuntime: placed.declaredRuntime,
    diagnostics: [...found.diagnostics, ...placed.diagnostics],
    // A fresh module URL; no source: the runtime reads the file as it is now.
    code: { cacheBust },
  };
}

function where(problem: Diagnostic): string {
  const at = problem.where;
  return at ? `${at.file}:${at.line}:${at.column}: ` : '';
}
