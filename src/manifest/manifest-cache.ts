import { readFileSync, type Stats, statSync } from 'node:fs';
import { writeFileAtomic } from '../util/index.js';
import { schemaHash } from './generated/manifest-validator.js';
import type { ParsedManifest } from './parse-manifest.js';

/**
 * Bump when normalisation or the semantic checks change in a way that alters results for the same
 * file; the schema itself is covered by its hash.
 */
const NORMALISER_VERSION = 3;

interface CacheEntry {
  /** mtime, ctime, size, inode. */
  readonly stamp: readonly number[];
  readonly result: ParsedManifest;
  /**
   * Other files the result was derived from (the `main.lua` whose functions gave a Lua plugin its
   * hooks), each with its stamp; null for a file that did not exist.
   */
  readonly also?: Readonly<Record<string, readonly number[] | null>>;
}

interface CacheFile {
  readonly key: string;
  readonly entries: Record<string, CacheEntry>;
}

/**
 * Parsed manifests keyed by file path and validated by a stat stamp (mtime, ctime, size, inode), as
 * VS Code caches its extension scan: a warm `jovian plugins list` over 1000 plugins stats 1000 files and
 * reads one JSON file instead of parsing 1000 YAML documents. Any edit, touch, chmod or replacement of a
 * manifest changes its stamp. The cache is an optimisation only: a missing, unreadable or corrupt cache
 * file is ignored, and failing to write it is not an error.
 */
export class ManifestCache {
  readonly #file: string | undefined;
  readonly #key: string;
  readonly #old: Record<string, CacheEntry>;
  readonly #next: Record<string, CacheEntry> = {};
  #changed = false;

  constructor(file: string | undefined, reservedIds: ReadonlySet<string>) {
    this.#file = file;
    this.#key = `${schemaHash}:${NORMALISER_VERSION}:${[...reservedIds].sort().join(',')}`;
    this.#old = file ? this.#load(file) : {};
  }

  /** The cached result for `path` if its stamp, and those of the files it was derived from, still match. */
  get(path: string, stats: Stats): ParsedManifest | undefined {
    const entry = this.#old[path];
    if (entry === undefined || !sameStamp(entry.stamp, stats)) return undefined;
    for (const [other, stamp] of Object.entries(entry.also ?? {})) {
      const now = statOrUndefined(other);
      if (stamp === null ? now !== undefined : now === undefined || !sameStamp(stamp, now)) return undefined;
    }
    this.#next[path] = entry;
    return entry.result;
  }

  /**
   * Caches `result` for `path`. `also` gives the other files it was derived from, with their stats
   * taken before they were read (undefined for a file that does not exist).
   */
  set(
    path: string,
    stats: Stats,
    result: ParsedManifest,
    also: ReadonlyMap<string, Stats | undefined> = new Map(),
  ): void {
    const entry: CacheEntry = { stamp: stampOf(stats), result };
    const stamps = [...also].map(([other, otherStats]) => [other, otherStats ? stampOf(otherStats) : null]);
    this.#next[path] = stamps.length > 0 ? { ...entry, also: Object.fromEntries(stamps) } : entry;
    this.#changed = true;
  }

  /** Writes the cache if anything changed (including entries that disappeared). Never throws. */
  async save(): Promise<void> {
    if (!this.#file) return;
    const removed = Object.keys(this.#old).some((path) => !(path in this.#next));
    if (!this.#changed && !removed) return;
    const content: CacheFile = { key: this.#key, entries: this.#next };
    await writeFileAtomic(this.#file, JSON.stringify(content)).catch(() => undefined);
  }

  #load(file: string): Record<string, CacheEntry> {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.key !== this.#key || typeof parsed.entries !== 'object' || parsed.entries === null)
        return {};
      return parsed.entries;
    } catch {
      return {};
    }
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function stampOf(stats: Stats): number[] {
  return [stats.mtimeMs, stats.ctimeMs, stats.size, stats.ino];
}

function sameStamp(stamp: readonly number[], stats: Stats): boolean {
  return (
    stamp[0] === stats.mtimeMs &&
    stamp[1] === stats.ctimeMs &&
    stamp[2] === stats.size &&
    stamp[3] === stats.ino
  );
}
