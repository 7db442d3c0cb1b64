import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JovianError } from '../errors.js';
import { PLUGIN_ID_RE } from '../manifest/index.js';
import { listPackageFiles, MANIFEST_FILE, SIGNATURE_FILE } from '../security/index.js';
import { DEFAULT_ARCHIVE_LIMITS } from './archive-limits.js';
import { type Catalog, type CatalogEntry, entryLocation, newestInCatalog } from './catalog.js';
import { downloadBytes, isRemote } from './download.js';
import { extractArchive } from './extract-archive.js';

/** What an install starts from, once its files are in the staging folder. */
export interface StagedSource {
  /** The plugin folder inside the staging folder. */
  readonly root: string;
  /** `folder`, `archive`, `url` or `catalog`: where the files came from. */
  readonly kind: 'folder' | 'archive' | 'url' | 'catalog';
  /** The source as the user gave it (absolute path, URL, or catalog name). */
  readonly origin: string;
  /** A folder on this machine (what `allow_unsigned_local_plugins` covers). */
  readonly local: boolean;
  /** The catalog entry it was chosen from. */
  readonly entry?: CatalogEntry | undefined;
}

export interface StageOptions {
  /** The catalog, read only when the source is a catalog name. */
  readonly catalog?: (() => Promise<Catalog>) | undefined;
}

/** Copies a plugin folder's package files (MANIFEST.json and plugin.sig included) into `root`. */
async function copyFolder(from: string, root: string): Promise<void> {
  const files = await listPackageFiles(from);
  for (const extra of [MANIFEST_FILE, SIGNATURE_FILE])
    if (
      await stat(join(from, extra)).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      files.push(extra);
  for (const file of files) {
    const target = join(root, file);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(from, file), target);
  }
}

/** Writes package bytes into the staging folder and extracts them, after checking the catalog's SHA-256. */
async function extractBytes(
  bytes: Buffer,
  from: string,
  staging: string,
  root: string,
  sha256?: string,
): Promise<void> {
  if (sha256 !== undefined) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256)
      throw new JovianError(
        'JOVIAN_E_PACKAGE_HASH_MISMATCH',
        `${from} has SHA-256 ${actual}, but the catalog says ${sha256}`,
        { hint: 'the file changed since the catalog was written: ask its publisher, or check for tampering' },
      );
  }
  const file = join(staging, 'download');
  await writeFile(file, bytes);
  await extractArchive(file, root);
}

async function readPackageBytes(location: string): Promise<Buffer> {
  if (isRemote(location)) return downloadBytes(location, DEFAULT_ARCHIVE_LIMITS.maxTotalBytes);
  const file = location.startsWith('file:') ? fileURLToPath(location) : location;
  return readFile(file).catch((cause: unknown) => {
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read ${file}`, { cause });
  });
}

/**
 * Puts the files of `source` in `<staging>/package`: a plugin folder is copied (links and special
 * files refused), a .tgz/.tar/.zip is extracted with every entry checked first, an https URL is
 * downloaded then extracted, and a catalog name (`id` or `id@version`) is looked up in the catalog,
 * downloaded, checked against the catalog's SHA-256, then extracted.
 */
export async function stageSource(
  source: string,
  staging: string,
  options: StageOptions = {},
): Promise<StagedSource> {
  const root = join(staging, 'package');
  if (isRemote(source)) {
    await extractBytes(await readPackageBytes(source), source, staging, root);
    return { root, kind: 'url', origin: source, local: false };
  }
  const path = resolve(source);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    await copyFolder(path, root);
    return { root, kind: 'folder', origin: path, local: true };
  }
  if (info?.isFile()) {
    await extractArchive(path, root);
    return { root, kind: 'archive', origin: path, local: false };
  }
  const [id, version] = source.split('@');
  if (id === undefined || !PLUGIN_ID_RE.test(id))
    throw new JovianError('JOVIAN_E_INSTALL_SOURCE_UNKNOWN', `${path} does not exist`, {
      hint: 'give a plugin folder, a .tgz/.zip package, an https URL, or a plugin id from the catalog',
    });
  if (!options.catalog)
    throw new JovianError(
      'JOVIAN_E_INSTALL_SOURCE_UNKNOWN',
      `\`${source}\` is neither a file nor a folder, and no catalog is set to look it up in`,
      { hint: 'give a path or URL, or set a catalog with --catalog <file|url> or `catalog:` in jovian.yaml' },
    );
  const catalog = await options.catalog();
  const entry =
    version === undefined
      ? newestInCatalog(catalog, id)
      : catalog.entries.find((e) => e.id === id && e.version === version);
  if (!entry)
    throw new JovianError(
      'JOVIAN_E_INSTALL_SOURCE_UNKNOWN',
      `the catalog ${catalog.location} has no plugin \`${source}\``,
      { hint: 'check the id (and version) against the catalog, or give a path or URL' },
    );
  const location = entryLocation(catalog, entry);
  await extractBytes(await readPackageBytes(location), location, staging, root, entry.sha256);
  return { root, kind: 'catalog', origin: `${entry.id}@${entry.version}`, local: false, entry };
}
