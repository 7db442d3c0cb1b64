/**
 * Patterns and names shared by the schema (build time) and the normaliser (run time). Kept apart from
 * schema.ts so that runtime code never loads TypeBox.
 */
import type { PermissionName } from '../types.js';

export const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9_-]{1,63}$';
export const PLUGIN_ID_RE = new RegExp(PLUGIN_ID_PATTERN);
/** Names of hooks, handlers and panels: a word, optionally dotted/dashed/colon-separated. */
export const NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_.:-]{0,127}$';
/** CLI command names: lowercase words with dashes, optionally `group:name`. */
export const COMMAND_PATTERN = '^[a-z][a-z0-9-]{0,63}(:[a-z][a-z0-9-]{0,63})?$';
/** Event topics and subscription patterns (`*` one segment, `**` any number of segments). */
export const TOPIC_PATTERN = '^(\\*\\*|\\*|[A-Za-z0-9_-]+)(\\.(\\*\\*|\\*|[A-Za-z0-9_-]+))*$';
/** Route paths, relative to the plugin's mount point. */
export const ROUTE_PATTERN = '^/[A-Za-z0-9_./:-]*$';

/** Synonyms accepted in `permissions` (from earlier plugin formats) and the name each becomes. */
export const PERMISSION_SYNONYMS: Readonly<Record<string, PermissionName>> = {
  net: 'network_outbound',
  network: 'network_outbound',
  filesystem: 'fs_read',
  process: 'run_commands',
};

/** The file names a plugin folder's manifest may have, in order of preference. */
export const MANIFEST_FILE_NAMES = ['plugin.yaml', 'plugin.yml'] as const;
