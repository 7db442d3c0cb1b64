import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { JovianError } from '../../errors.js';
import type { Diagnostic, RuntimeKind } from '../../types.js';
import { type DiscoveredPlugin, LEGACY_MODULE_NAMES, rereadPlugin } from '../discover.js';
import { manifestFromLegacy } from '../legacy.js';
import type { ParsedManifest } from '../parse-manifest.js';
import { MANIFEST_FILE_NAMES } from '../vocabulary.js';
import { entryOf, languageOf } from './extension-language.js';
import type { ExtensionEntry, ExtensionKind, Inventory, InventoryProblem } from './inventory-types.js';
import { describeLegacySource } from './legacy-source-scan.js';

/** How deep below the scanned folder extensions are looked for, by default. */
export const INVENTORY_MAX_DEPTH = 8;

/** What a kind tells when its manifest cannot be read. */
const FALLBACK_RUNTIME: Readonly<Record<ExtensionKind, RuntimeKind | null>> = {
  plugin_yaml: null,
  lua_file: 'lua',
  legacy_module: 'inprocess',
};
const FALLBACK_LANGUAGE: Readonly<Record<ExtensionKind, string>> = {
  plugin_yaml: 'unknown',
  lua_file: 'Lua',
  legacy_module: 'JavaScript',
};

export interface ScanOptions {
  /** Folders below the root to descend into; default `INVENTORY_MAX_DEPTH`. */
  readonly maxDepth?: number;
  /** Ids only core plugins may take (reported as a problem). */
  readonly reservedIds?: ReadonlySet<string>;
}

/**
 * Every extension under `root`, of every kind: folders with plugin.yaml (any runtime — process plugins
 * in any language, webhooks…), single-file Lua plugins (a `.lua` file with a `-- @id` header) and
 * legacy modules (a folder without plugin.yaml whose plugin.mjs / plugin.js / index.mjs / index.js
 * exports a plugin `meta`, read from its source text). Manifests are parsed and checked as discovery
 * does, and their problems reported; no plugin code runs. Folders named `node_modules` or starting
 * with `.` are skipped, symbolic links are not followed, and a plugin folder is not searched further.
 * Synchronous file calls, as in discovery (discover.ts says why).
 * @throws JovianError `JOVIAN_E_INVENTORY_ROOT_INVALID` when `root` is not a folder.
 */
export function scanExtensions(root: string, options: ScanOptions = {}): Inventory {
  const absolute = resolve(root);
  if (!isFolder(absolute)) {
    throw new JovianError('JOVIAN_E_INVENTORY_ROOT_INVALID', `${absolute} is not a folder`);
  }
  const reservedIds = options.reservedIds ?? new Set<string>();
  const found: ExtensionEntry[] = [];
  const visit = (dir: string, depth: number): void => {
    const plugin = pluginFolder(dir, reservedIds);
    if (plugin) {
      found.push(toEntry(absolute, dir, plugin.kind, plugin.parsed));
      return;
    }
    for (const entry of sortedEntries(dir)) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < (options.maxDepth ?? INVENTORY_MAX_DEPTH)) visit(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.lua')) {
        const lua = luaPlugin(dir, path, reservedIds);
        if (lua) found.push(toEntry(absolute, path, 'lua_file', lua));
      }
    }
  };
  visit(absolute, 0);
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: absolute, extensions: found };
}

/** The plugin a folder is (plugin.yaml first, then a legacy module), or undefined. */
function pluginFolder(
  dir: string,
  reservedIds: ReadonlySet<string>,
): { kind: ExtensionKind; parsed: ParsedManifest } | undefined {
  if (MANIFEST_FILE_NAMES.some((name) => isFile(join(dir, name)))) {
    const parsed = rereadPlugin(
      { dir, file: join(dir, MANIFEST_FILE_NAMES[0]), layout: 'folder' },
      reservedIds,
    );
    if (parsed) return { kind: 'plugin_yaml', parsed };
  }
  for (const name of LEGACY_MODULE_NAMES) {
    const file = join(dir, name);
    if (!isFile(file)) continue;
    const description = describeLegacySource(readText(file));
    // The adapter reads only the first module it finds; a module that is not a plugin ends the search.
    return description
      ? { kind: 'legacy_module', parsed: manifestFromLegacy(description, dir, file, reservedIds) }
      : undefined;
  }
  return undefined;
}

/** A `.lua` file with a plugin header; a Lua file without one is not a plugin. */
function luaPlugin(
  dir: string,
  file: string,
  reservedIds: ReadonlySet<string>,
): DiscoveredPlugin | undefined {
  const parsed = rereadPlugin({ dir, file, layout: 'file' }, reservedIds);
  if (!parsed) return undefined;
  const noHeader =
    parsed.manifest === undefined && parsed.diagnostics[0]?.code === 'JOVIAN_E_MANIFEST_NO_LUA_HEADER';
  return noHeader ? undefined : parsed;
}

function toEntry(root: string, path: string, kind: ExtensionKind, parsed: ParsedManifest): ExtensionEntry {
  const manifest = parsed.manifest;
  return {
    kind,
    id: parsed.identity.id,
    name: manifest?.name ?? parsed.identity.name ?? parsed.identity.id,
    version: manifest?.version ?? parsed.identity.version ?? null,
    type: manifest?.type ?? parsed.identity.type ?? null,
    runtime: manifest?.runtime ?? FALLBACK_RUNTIME[kind],
    language: manifest ? languageOf(manifest) : FALLBACK_LANGUAGE[kind],
    entry: manifest ? entryOf(manifest) : null,
    path: relativePath(root, path),
    problems: parsed.diagnostics.map((d) => problemOf(root, d)),
  };
}

function problemOf(root: string, diagnostic: Diagnostic): InventoryProblem {
  const where = diagnostic.where;
  return {
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
    hint: diagnostic.hint ?? null,
    where: where ? `${relativePath(root, where.file)}:${where.line}:${where.column}` : null,
  };
}

/** `path` relative to `root` with `/` separators; `.` for the root itself. */
function relativePath(root: string, path: string): string {
  const inside = relative(root, path);
  return inside === '' ? '.' : inside.split(sep).join('/');
}

function sortedEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch {
    return []; // an unreadable folder holds nothing we can report on
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
