import { join } from 'node:path';
import type { PluginRecord } from '../host/index.js';

/**
 * The `web/` folder of a plugin (its panels, widgets and language files), or undefined for plugins that
 * have none of their own: core plugins (built in), single-file Lua plugins (their folder is the plugins
 * directory, shared with others) and legacy plugins (wrapped modules that know nothing of the UI).
 */
export function webFolderOf(record: PluginRecord): string | undefined {
  if (record.kind !== 'manifest' || record.file.endsWith('.lua')) return undefined;
  return join(record.dir, 'web');
}

/** The URL of a file of the plugin's `web/` folder, as the asset route serves it. */
export function assetUrl(pluginId: string, path: string): string {
  return `/plugins/${pluginId}/assets/${path}`;
}
