import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import SemVer from 'semver/classes/semver.js';
import { JovianError } from '../errors.js';
import { PLUGIN_ID_RE } from '../manifest/index.js';
import { downloadBytes, isRemote } from './download.js';

/** One package a catalog offers. */
export interface CatalogEntry {
  readonly id: string;
  readonly version: string;
  /** Where the package is: an https URL, or a path/URL relative to the catalog. */
  readonly url: string;
  /** The lowercase hex SHA-256 of the package file. */
  readonly sha256: string;
  /** The fingerprint (`SHA256:…`) of the key that must have signed it, when the catalog says. */
  readonly signer?: string | undefined;
  readonly description?: string | undefined;
}

/** A static JSON index of packages (docs/packaging.md#catalogs), read from a file or a URL. */
export interface Catalog {
  readonly location: string;
  readonly entries: readonly CatalogEntry[];
}

const SHA256_RE = /^[0-9a-f]{64}$/;

function invalid(location: string, what: string): JovianError {
  return new JovianError('JOVIAN_E_CATALOG_INVALID', `catalog ${location}: ${what}`, {
    hint: 'a catalog is JSON: { "plugins": [ { "id", "version", "url", "sha256", "signer"? } ] } (docs/packaging.md#catalogs)',
  });
}

function readEntry(raw: unknown, index: number, location: string): CatalogEntry {
  const at = `plugins[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid(location, `${at} is not an object`);
  const entry = raw as Record<string, unknown>;
  for (const key of ['id', 'version', 'url', 'sha256'])
    if (typeof entry[key] !== 'string' || entry[key] === '')
      throw invalid(location, `${at}.${key} is missing or not a string`);
  const { id, version, url, sha256, signer, description } = entry as Record<string, string>;
  if (!PLUGIN_ID_RE.test(id as string)) throw invalid(location, `${at}.id \`${id}\` is not a plugin id`);
  if (!isSemver(version as string))
    throw invalid(location, `${at}.version \`${version}\` is not a semantic version`);
  if (!SHA256_RE.test(sha256 as string))
    throw invalid(location, `${at}.sha256 must be 64 lowercase hex digits`);
  if (signer !== undefined && (typeof signer !== 'string' || !signer.startsWith('SHA256:')))
    throw invalid(location, `${at}.signer must be a key fingerprint \`SHA256:…\``);
  return {
    id: id as string,
    version: version as string,
    url: url as string,
    sha256: sha256 as string,
    signer,
    description: typeof description === 'string' ? description : undefined,
  };
}

function isSemver(version: string): boolean {
  try {
    new SemVer(version);
    return true;
  } catch {
    return false;
  }
}

/** Reads and checks a catalog from a file path or an https URL. */
export async function loadCatalog(location: string): Promise<Catalog> {
  let text: string;
  try {
    text = isRemote(location)
      ? (await downloadBytes(location, 16 * 1024 * 1024)).toString('utf8')
      : await readFile(location, 'utf8');
  } catch (error) {
    if (error instanceof JovianError) throw error;
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read catalog ${location}`, {
      cause: error,
      hint: 'check the path or URL given by --catalog or jovian.yaml `catalog`',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(location, `not JSON (${(error as Error).message})`);
  }
  const plugins = (parsed as { plugins?: unknown } | null)?.plugins;
  if (!Array.isArray(plugins)) throw invalid(location, '`plugins` is missing or not an array');
  const base = isRemote(location) || isAbsolute(location) ? location : resolve(location);
  return { location: base, entries: plugins.map((raw, index) => readEntry(raw, index, location)) };
}

/** The newest version of `id` the catalog offers, or undefined. */
export function newestInCatalog(catalog: Catalog, id: string): CatalogEntry | undefined {
  let best: CatalogEntry | undefined;
  for (const entry of catalog.entries)
    if (entry.id === id && (!best || new SemVer(entry.version).compare(best.version) > 0)) best = entry;
  return best;
}

/** The package URL of an entry, resolved against the catalog's own location (a URL or a file path). */
export function entryLocation(catalog: Catalog, entry: CatalogEntry): string {
  if (isRemote(entry.url) || entry.url.startsWith('file:')) return entry.url;
  if (isRemote(catalog.location)) return new URL(entry.url, catalog.location).href;
  if (isAbsolute(entry.url)) return entry.url;
  return resolve(dirname(catalog.location), entry.url);
}
