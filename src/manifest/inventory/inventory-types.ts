import type { PluginType, RuntimeKind, Severity } from '../../types.js';

/**
 * How an extension is written down: a folder with plugin.yaml (any runtime, any language), a single
 * `.lua` file with a header, or a legacy module (a folder without plugin.yaml whose module exports a
 * plugin `meta`).
 */
export type ExtensionKind = 'plugin_yaml' | 'lua_file' | 'legacy_module';

/** A problem found in an extension's manifest (or header, or legacy `meta`). */
export interface InventoryProblem {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly hint: string | null;
  /** `path:line:column`, the path relative to the scanned folder; null when the problem has no place. */
  readonly where: string | null;
}

/** One extension found by `scanExtensions`. Paths are relative to the scanned folder, with `/`. */
export interface ExtensionEntry {
  readonly kind: ExtensionKind;
  readonly id: string;
  readonly name: string;
  /** Null when the manifest cannot be read far enough to tell. */
  readonly version: string | null;
  readonly type: PluginType | null;
  readonly runtime: RuntimeKind | null;
  /** The language its code is written in, as far as the manifest tells (`Python`, `Lua`, `any (HTTP)`…). */
  readonly language: string;
  /** What runs: the entry file, the command of a process plugin, or the URL of a webhook. */
  readonly entry: string | null;
  /** The plugin folder, or the file of a single-file Lua plugin. */
  readonly path: string;
  readonly problems: readonly InventoryProblem[];
}

export interface Inventory {
  /** The scanned folder (absolute). */
  readonly root: string;
  /** Sorted by path. */
  readonly extensions: readonly ExtensionEntry[];
}
