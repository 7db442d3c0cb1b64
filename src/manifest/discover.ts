import { type Dirent, readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { diagnostic, errorToDiagnostic, JovianError } from '../errors.js';
import type { Diagnostic, Manifest } from '../types.js';
import { parseYamlSource } from '../util/index.js';
import { locateInLua } from './locate-in-lua.js';
import { ManifestCache } from './manifest-cache.js';
import { parseLuaPlugin } from './parse-lua-plugin.js';
import { type ManifestIdentity, type ParsedManifest, parseManifest } from './parse-manifest.js';
import { MANIFEST_FILE_NAMES } from './vocabulary.js';

/** Module names that mark a folder without plugin.yaml as a legacy plugin, in order of preference. */
export const LEGACY_MODULE_NAMES = ['plugin.mjs', 'plugin.js', 'index.mjs', 'index.js'] as const;

export interface DiscoveredPlugin {
  /**
   * The folder `main` is relative to (absolute): the plugin folder, or for a single-file Lua plugin
   * the plugins directory holding the file (so `resolve(dir, manifest.main)` is the entry file either
   * way). A single-file plugin owns its file only, not this folder, which its neighbours share: its
   * data folder, config and permissions go by its id, and nothing should treat `dir` as its own.
   */
  readonly dir: string;
  /**
   * Where the manifest is read from, and where its diagnostics point: plugin.yaml, the `.lua` file of
   * a single-file plugin (its header), or the module of a legacy plugin.
   */
  readonly file: string;
  /** `folder`: a plugin folder. `file`: a single `.lua` file directly in a plugins directory. */
  readonly layout: 'folder' | 'file';
  /**
   * `manifest`: read from plugin.yaml or from a Lua file's header (`manifest.runtime` is then `lua`).
   * `legacy`: no plugin.yaml but a module the legacy adapter may wrap; its manifest is built when the
   * module is loaded (by the host), so `manifest` is undefined.
   */
  readonly kind: 'manifest' | 'legacy';
  readonly manifest: Manifest | undefined;
  readonly identity: ManifestIdentity;
  readonly diagnostics: readonly Diagnostic[];
}

export interface DiscoveryResult {
  /** One entry per plugin id, first plugins directory first; duplicates are left out and reported. */
  readonly plugins: readonly DiscoveredPlugin[];
  /** Problems outside any single manifest: missing directories, duplicate ids, stray folders. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface DiscoverOptions {
  readonly reservedIds?: ReadonlySet<string>;
  /** Where to keep the parsed-manifest cache; no cache when absent. */
  readonly cacheFile?: string;
}

/**
 * Finds the plugins in `dirs`: every sub-folder (symbolic links to folders included; names starting
 * with `.` and `node_modules` skipped) holding a plugin.yaml or a legacy module, and every `.lua` file
 * with a plugin header (a single-file Lua plugin). Reads manifests and Lua source text only — never
 * runs plugin code. Scanning uses synchronous stat calls on purpose: for thousands of tiny calls they
 * are several times faster than the promise API, and a scan is a start-up step.
 */
export async function discoverPlugins(
  dirs: readonly string[],
  options: DiscoverOptions = {},
): Promise<DiscoveryResult> {
  const reservedIds = options.reservedIds ?? new Set<string>();
  const cache = new ManifestCache(options.cacheFile, reservedIds);
  const plugins: DiscoveredPlugin[] = [];
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, DiscoveredPlugin>();
  for (const dir of dirs.map((d) => resolve(d))) {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      diagnostics.push(
        diagnostic(
          'JOVIAN_E_FILE_READ_FAILED',
          `plugins directory ${dir} cannot be read: ${(error as Error).message}`,
          {
            severity: 'warning',
            hint: 'create it, or pass an existing folder with --plugins-dir',
          },
        ),
      );
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const found = inspectEntry(entry, dir, reservedIds, cache, diagnostics);
      if (found === undefined) continue;
      const first = byId.get(found.identity.id);
      if (first) {
        diagnostics.push(
          diagnostic(
            'JOVIAN_E_MANIFEST_DUPLICATE_ID',
            `plugin id \`${found.identity.id}\` is used by ${placeOf(found)} and ${placeOf(first)}; ${placeOf(found)} is ignored`,
            {
              where:
                found.kind === 'manifest'
                  ? locateInManifest(found.file, ['id'])
                  : { file: found.file, line: 1, column: 1 },
              plugin: found.identity.id,
            },
          ),
        );
        continue;
      }
      byId.set(found.identity.id, found);
      plugins.push(found);
    }
  }
  await cache.save();
  return { plugins, diagnostics };
}

/**
 * Reads one plugin again as it is on disk now (hot reload): its plugin.yaml, or the header of its
 * `.lua` file. Never cached, never runs plugin code. Undefined when the plugin is no longer there.
 */
export function rereadPlugin(
  plugin: Pick<DiscoveredPlugin, 'dir' | 'file' | 'layout'>,
  reservedIds: ReadonlySet<string> = new Set(),
): DiscoveredPlugin | undefined {
  const cache = new ManifestCache(undefined, reservedIds);
  if (plugin.layout === 'file') {
    return statOrUndefined(plugin.file)?.isFile()
      ? inspectLuaFile(plugin.dir, plugin.file, reservedIds, cache)
      : undefined;
  }
  const found = inspectFolder(plugin.dir, reservedIds, cache);
  return found?.kind === 'manifest' ? found : undefined;
}

/** The plugin an entry of a plugins directory holds; problems that leave none go to `diagnostics`. */
function inspectEntry(
  entry: Dirent,
  dir: string,
  reservedIds: ReadonlySet<string>,
  cache: ManifestCache,
  diagnostics: Diagnostic[],
): DiscoveredPlugin | undefined {
  const path = join(dir, entry.name);
  const stats = entry.isSymbolicLink() ? statOrUndefined(path) : undefined; // what the link leads to
  if (entry.isDirectory() || stats?.isDirectory()) {
    const found = inspectFolder(path, reservedIds, cache);
    if (found === undefined) {
      diagnostics.push(
        diagnostic('JOVIAN_E_MANIFEST_NOT_FOUND', `${path} has no plugin.yaml and no plugin module`, {
          severity: 'warning',
          where: { file: path, line: 1, column: 1 },
        }),
      );
    }
    return found;
  }
  if (!entry.name.endsWith('.lua') || !(entry.isFile() || stats?.isFile())) return undefined;
  const found = inspectLuaFile(dir, path, reservedIds, cache);
  if (found.manifest === undefined && found.diagnostics[0]?.code === 'JOVIAN_E_MANIFEST_NO_LUA_HEADER') {
    diagnostics.push(...found.diagnostics);
    return undefined;
  }
  return found;
}

function inspectFolder(
  dir: string,
  reservedIds: ReadonlySet<string>,
  cache: ManifestCache,
): DiscoveredPlugin | undefined {
  for (const name of MANIFEST_FILE_NAMES) {
    const file = join(dir, name);
    const stats = statOrUndefined(file);
    if (!stats?.isFile()) continue;
    const parsed = cache.get(file, stats) ?? parseFolderManifest(file, stats, dir, reservedIds, cache);
    return { dir, file, layout: 'folder', kind: 'manifest', ...parsed };
  }
  for (const name of LEGACY_MODULE_NAMES) {
    const file = join(dir, name);
    if (statOrUndefined(file)?.isFile()) {
      return {
        dir,
        file,
        layout: 'folder',
        kind: 'legacy',
        manifest: undefined,
        identity: { id: basename(dir) },
        diagnostics: [],
      };
    }
  }
  return undefined;
}

/** A single-file Lua plugin: its manifest comes from the file's header, its hooks from its source. */
function inspectLuaFile(
  dir: string,
  file: string,
  reservedIds: ReadonlySet<string>,
  cache: ManifestCache,
): DiscoveredPlugin {
  const stats = statOrUndefined(file);
  const fallbackId = basename(file, '.lua');
  const parsed =
    (stats && cache.get(file, stats)) ??
    parseAndCache(file, stats, fallbackId, cache, (text) =>
      parseLuaPlugin(text, file, { fallbackId, reservedIds }),
    );
  return { dir, file, layout: 'file', kind: 'manifest', ...parsed };
}

/** plugin.yaml; a `runtime: lua` manifest without hooks gets them from its main file, also cached. */
function parseFolderManifest(
  file: string,
  stats: Stats,
  dir: string,
  reservedIds: ReadonlySet<string>,
  cache: ManifestCache,
): ParsedManifest {
  const also = new Map<string, Stats | undefined>();
  const readLuaMain = (main: string): string | undefined => {
    const path = resolve(dir, main);
    const inside = relative(dir, path);
    if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined; // outside
    also.set(path, statOrUndefined(path));
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  const fallbackId = basename(dir);
  return parseAndCache(
    file,
    stats,
    fallbackId,
    cache,
    (text) => parseManifest(text, file, { fallbackId, reservedIds, readLuaMain }),
    also,
  );
}

/** Reads `file` and parses it with `parse`, caching the result when `stats` is known. */
function parseAndCache(
  file: string,
  stats: Stats | undefined,
  fallbackId: string,
  cache: ManifestCache,
  parse: (text: string) => ParsedManifest,
  also?: ReadonlyMap<string, Stats | undefined>,
): ParsedManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const failure = new JovianError(
      'JOVIAN_E_FILE_READ_FAILED',
      `cannot read ${file}: ${(error as Error).message}`,
      {
        where: { file, line: 1, column: 1 },
      },
    );
    return {
      manifest: undefined,
      identity: { id: fallbackId },
      diagnostics: [errorToDiagnostic(failure)],
    };
  }
  const parsed = parse(text);
  if (stats) cache.set(file, stats, parsed, also);
  return parsed;
}

/** How a plugin is named in messages: its folder, or its file for a single-file plugin. */
function placeOf(plugin: DiscoveredPlugin): string {
  return plugin.layout === 'file' ? plugin.file : plugin.dir;
}

/**
 * Re-reads a manifest to find where `path` is (for problems found after parsing, such as a missing
 * dependency): in plugin.yaml, or in the header of a single-file Lua plugin. Only used on error paths,
 * so manifests need not keep their YAML tree in memory.
 */
export function locateInManifest(file: string, path: readonly (string | number)[]): Diagnostic['where'] {
  try {
    const text = readFileSync(file, 'utf8');
    return file.endsWith('.lua') ? locateInLua(text, file, path) : parseYamlSource(text, file).locate(path);
  } catch {
    return { file, line: 1, column: 1 };
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
