import { join } from 'node:path';
import { dataDirLayout } from '../config/index.js';
import type { HookMap } from '../hooks/index.js';
import { discoverPlugins } from '../manifest/index.js';
import { checkRuntimeCapabilities } from '../runtimes/index.js';
import { type IsolationPolicy, placePlugin } from '../security/index.js';
import type { Diagnostic, Manifest } from '../types.js';
import { CORE_PLUGIN_IDS, type CorePlugin } from './core-plugins.js';
import type { HostConfig } from './host-options.js';
import { loadLegacyPlugin } from './legacy-adapter.js';
import { PluginRecord } from './plugin-record.js';
import { unknownHookWarnings } from './unknown-hooks.js';

/**
 * The registry's records for the core plugins and every plugin found in the plugins directories
 * (legacy modules wrapped by the adapter), each with its manifest problems, the runtime features it
 * lacks and the hooks it declares that the host does not have. The isolation policy places each
 * plugin (raised to its trust level's floor, or refused). No plugin code runs here, except legacy
 * modules the policy allows in-process, which must be imported to read their `meta`.
 */
export async function buildRegistry<H extends HookMap>(
  config: HostConfig<H>,
  core: readonly CorePlugin[],
  policy: IsolationPolicy,
): Promise<{ records: PluginRecord[]; diagnostics: readonly Diagnostic[] }> {
  const records = core.map(
    ({ manifest, definition }) =>
      new PluginRecord({
        id: manifest.id,
        category: 'core',
        kind: 'core',
        dir: '(built in)',
        file: '(built in)',
        manifest,
        identity: { id: manifest.id, name: manifest.name, version: manifest.version, type: 'system' },
        definition,
      }),
  );
  const discovery = await discoverPlugins(config.pluginDirs, {
    reservedIds: CORE_PLUGIN_IDS,
    cacheFile: config.manifestCache
      ? join(dataDirLayout(config.dataDir).cacheDir, 'manifests.json')
      : undefined,
  });
  for (const found of discovery.plugins) {
    // Until packages are signed, every plugin found on disk is `unsigned`.
    const trust = 'unsigned' as const;
    if (found.kind === 'legacy') {
      const placement = placePlugin(
        { id: found.identity.id, declared: 'inprocess', trust, legacy: true, syncHooks: [] },
        policy,
      );
      if ('refused' in placement) {
        records.push(
          new PluginRecord({
            ...found,
            id: found.identity.id,
            category: 'tool',
            manifest: undefined,
            diagnostics: [placement.refused],
          }),
        );
        continue;
      }
    }
    const legacy =
      found.kind === 'legacy' ? await loadLegacyPlugin(found.dir, found.file, CORE_PLUGIN_IDS) : undefined;
    const parsed = legacy?.parsed ?? found;
    const record = new PluginRecord({
      id: parsed.identity.id,
      category: parsed.manifest?.type ?? parsed.identity.type ?? 'tool',
      kind: found.kind,
      dir: found.dir,
      file: found.file,
      manifest: parsed.manifest,
      identity: parsed.identity,
      diagnostics: parsed.diagnostics,
      definition: legacy?.definition,
    });
    if (record.manifest && found.kind === 'manifest') place(record, record.manifest, policy, config.hooks);
    if (record.manifest) {
      record.addDiagnostics(checkRuntimeCapabilities(record.manifest));
      record.addDiagnostics(unknownHookWarnings(record.manifest, config.hooks));
    }
    records.push(record);
  }
  return { records, diagnostics: discovery.diagnostics };
}

/** Applies the isolation policy: the record's manifest gets the runtime the plugin really runs in. */
function place(record: PluginRecord, manifest: Manifest, policy: IsolationPolicy, hooks: HookMap): void {
  const taps = manifest.contributes.hooks;
  const syncHooks =
    taps.length === 0
      ? []
      : taps.map((tap) => tap.name).filter((name) => hooks[name]?.kind.startsWith('Sync') === true);
  const placement = placePlugin(
    { id: manifest.id, declared: manifest.runtime, trust: record.trust, legacy: false, syncHooks },
    policy,
  );
  if ('refused' in placement) {
    record.addDiagnostics([placement.refused]);
    return;
  }
  if (placement.runtime === manifest.runtime) return;
  record.declaredRuntime = manifest.runtime;
  record.manifest = Object.freeze({ ...manifest, runtime: placement.runtime });
}
