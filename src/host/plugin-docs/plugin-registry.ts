import type { PluginDoc } from './plugin-doc-model.js';

/**
 * plugins/registry.json: one entry per plugin (id order) with what tools need to know without the
 * host — id, name, version, type, runtime, trust, permissions, dependencies and contributions. No
 * dates or paths, so the file can be committed and diffed.
 */
export function pluginRegistryJson(docs: readonly PluginDoc[]): string {
  const plugins = docs.map((d) => ({
    id: d.id,
    name: d.name,
    version: d.version,
    type: d.type,
    runtime: d.runtime,
    trust: d.trust,
    legacy: d.legacy,
    permissions: d.permissions,
    dependencies: d.dependencies,
    extends: d.extends,
    contributions: d.contributes,
  }));
  return `${JSON.stringify({ plugins }, null, 2)}\n`;
}
