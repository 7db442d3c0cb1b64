import { join } from 'node:path';
import { dataDirLayout } from '../config/index.js';
import type { HookMap } from '../hooks/index.js';
import { discoverPlugins } from '../manifest/index.js';
import { checkRuntimeCapabilities } from '../runtimes/index.js';
import { type IsolationPolicy, placePlugin, type TrustLevel } from '../security/index.js';
import type { Diagnostic, Manifest, RuntimeKind } from '../types.js';
import { CORE_PLUGIN_IDS, type CorePlugin } from './core-plugins.js';
import type { HostConfig } from './host-options.js';
import { loadLegacyPlugin } from './legacy-adapter.js';
import { PluginRecord } from './plugin-record.js';
import { judgeTrust, type TrustSettings } from './plugin-trust.js';
import { unknownHookWarnings } from './unknown-hooks.js';

/**
 * The registry's records for the core plugins and every plugin found in the plugins directories
 * (legacy modules wrapped by the adapter), each with its manifest problems, the runtime features it
 * lacks and the hooks it declares that the host does not have. Each plugin's signature gives its trust
 * level (or, in strict mode, refuses it: plugin-trust.ts); the isolation policy then places it (raised
 * to its trust level's floor, or refused). No plugin code runs here, except legacy modules the policy
 * allows in-process, which must be imported to read their `meta`.
 */
export async function buildRegistry<H extends HookMap>(
  config: HostConfig<H>,
  core: readonly CorePlugin[],
  policy: IsolationPolicy,
  trustSettings: TrustSettings,
  /** Only these ids (a plugin installed while the host runs); every plugin found when absent. */
  only?: ReadonlySet<string>,
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
    if (only && !only.has(found.identity.id)) continue;
    const verdict = await judgeTrust(
      { id: found.identity.id, dir: found.dir, file: found.file, layout: found.layout, kind: found.kind },
      trustSettings,
    );
    const { trust, signature, devUnsigned } = verdict;
    const refusal = verdict.diagnostics.find((d) => d.severity === 'error');
    if (found.kind === 'legacy') {
      // A refused legacy module is not even imported.
      const placement = refusal
        ? { refused: refusal }
        : placePlugin(
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
            devUnsigned,
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
      trust,
      signature,
      devUnsigned,
      trustDiagnostics: verdict.diagnostics,
    });
    record.addDiagnostics(verdict.diagnostics);
    // A plugin refused by its signature keeps its manifest (it is shown) but is not placed: it cannot run.
    if (record.manifest && !refusal) {
      const placed =
        found.kind === 'manifest'
          ? placedManifest(record.manifest, record.trust, policy, config.hooks)
          : { manifest: record.manifest, declaredRuntime: undefined, diagnostics: [] };
      record.manifest = placed.manifest;
      record.declaredRuntime = placed.declaredRuntime;
      record.addDiagnostics(placed.diagnostics);
      record.addDiagnostics(checkRuntimeCapabilities(record.manifest));
      record.addDiagnostics(unknownHookWarnings(record.manifest, config.hooks));
    }
    records.push(record);
  }
  return { records, diagnostics: discovery.diagnostics };
}

/**
 * Applies the isolation policy: the manifest the plugin really runs with (its runtime raised to its
 * trust level's floor), the runtime it declared when that was raised, and the refusal if it cannot run.
 */
export function placedManifest(
  manifest: Manifest,
  trust: TrustLevel,
  policy: IsolationPolicy,
  hooks: HookMap,
): { manifest: Manifest; declaredRuntime: RuntimeKind | undefined; diagnostics: Diagnostic[] } {
  const taps = manifest.contributes.hooks;
  const syncHooks =
    taps.length === 0
      ? []
      : taps.map((tap) => tap.name).filter((name) => hooks[name]?.kind.startsWith('Sync') === true);
  const placement = placePlugin(
    { id: manifest.id, declared: manifest.runtime, trust, legacy: false, syncHooks },
    policy,
  );
  if ('refused' in placement)
    return { manifest, declaredRuntime: undefined, diagnostics: [placement.refused] };
  if (placement.runtime === manifest.runtime)
    return { manifest, declaredRuntime: undefined, diagnostics: [] };
  return {
    manifest: Object.freeze({ ...manifest, runtime: placement.runtime }),
    declaredRuntime: manifest.runtime,
    diagnostics: [],
  };
}
