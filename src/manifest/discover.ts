import { type Dirent, readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { diagnostic, errorToDiagnostic, JovianError } from '../errors.js';
import type { Diagnostic, Manifest } from '../types.js';
import { parseYamlSource } from '../util/index.js';
import { ManifestCache } from './manifest-cache.js';
import { type ManifestIdentity, type ParsedManifest, parseManifest } from './parse-manifest.js';
import { MANIFEST_FILE_NAMES } from './vocabulary.js';

/** Module names that mark a folder without plugin.yaml as a legacy plugin, in order of preference. */
export const LEGACY_MODULE_NAMES = ['plugin.mjs', 'plugin.js', 'index.mjs', 'index.js'] as const;

export interface DiscoveredPlugin {
  /** The plugin folder (absolute). */
  readonly dir: string;
  /** plugin.yaml, or the module of a legacy plugin. */
  readonly file: string;
  /**
   * `manifest`: read from plugin.yaml. `legacy`: no plugin.yaml but a module the legacy adapter may
   * wrap; its manifest is built when the module is loaded (by the host), so `manifest` is undefined.
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
 * with `.` and `node_modules` skipped) holding a plugin.yaml or a legacy module. Reads manifests only —
 * never plugin code. Scanning uses synchronous stat calls on purpose: for thousands of tiny calls they
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
      if (!entry.isDirectory() && !(entry.isSymbolicLink() && isDirectory(join(dir, entry.name)))) continue;
      const found = inspectFolder(join(dir, entry.name), reservedIds, cache);
      if (found === undefined) {
        diagnostics.push(
          diagnostic(
            'JOVIAN_E_MANIFEST_NOT_FOUND',
            `${join(dir, entry.name)} has no plugin.yaml and no plugin module`,
            {
              severity: 'warning',
              where: { file: join(dir, entry.name), line: 1, column: 1 },
            },
          ),
        );
        continue;
      }
      const first = byId.get(found.identity.id);
      if (first) {
        diagnostics.push(
          diagnostic(
            'JOVIAN_E_MANIFEST_DUPLICATE_ID',
            `plugin id \`${found.identity.id}\` is used by ${found.dir} and ${first.dir}; ${found.dir} is ignored`,
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

function inspectFolder(
  dir: string,
  reservedIds: ReadonlySet<string>,
  cache: ManifestCache,
): DiscoveredPlugin | undefined {
  for (const name of MANIFEST_FILE_NAMES) {
    const file = join(dir, name);
    const stats = statOrUndefined(file);
    if (!stats?.isFile()) continue;
    const parsed = cache.get(file, stats) ?? parseAndCache(file, stats, dir, reservedIds, cache);
    return { dir, file, kind: 'manifest', ...parsed };
  }
  for (const name of LEGACY_MODULE_NAMES) {
    const file = join(dir, name);
    if (statOrUndefined(file)?.isFile()) {
      return {
        dir,
        file,
        kind: 'legacy',
        manifest: undefined,
        identity: { id: basename(dir) },
        diagnostics: [],
      };
    }
  }
  return undefined;
}

function parseAndCache(
  file: string,
  stats: Stats,
  dir: string,
  reservedIds: ReadonlySet<string>,
  cache: ManifestCache,
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
      identity: { id: basename(dir) },
      diagnostics: [errorToDiagnostic(failure)],
    };
  }
  const parsed = parseManifest(text, file, { fallbackId: basename(dir), reservedIds });
  cache.set(file, stats, parsed);
  return parsed;
}

/**
 * Re-reads a manifest to find where `path` is (for problems found after parsing, such as a missing
 * dependency). Only used on error paths, so manifests need not keep their YAML tree in memory.
 */
export function locateInManifest(file: string, path: readonly (string | number)[]): Diagnostic['where'] {
  try {
    return parseYamlSource(readFileSync(file, 'utf8'), file).locate(path);
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

function isDirectory(path: string): boolean {
  return statOrUndefined(path)?.isDirectory() === true;
}
