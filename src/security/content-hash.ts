import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { JovianError } from '../errors.js';
import { buildManifest, canonicalManifestBytes } from './canonical-manifest.js';

/**
 * The content hash of a plugin, `sha256:<hex>`, as jovian.lock records it:
 * - for a plugin folder, the SHA-256 of the canonical MANIFEST.json bytes computed from its files
 *   (so MANIFEST.json, plugin.sig, `.git` and the other left-out paths do not count, and the hash of
 *   a packed folder is the hash of its MANIFEST.json);
 * - for a single-file Lua plugin (`path` is the `.lua` file), the SHA-256 of the file.
 * Reads every file of the plugin: call it only when a lock is in use.
 * @throws JOVIAN_E_FILE_READ_FAILED, JOVIAN_E_PACKAGE_LINK, JOVIAN_E_PACKAGE_SPECIAL_FILE
 */
export async function pluginContentHash(path: string, id: string, version: string): Promise<string> {
  // A plugins directory may hold a link to a plugin folder or file: hash what it leads to.
  const target = await realpath(path).catch((error: unknown) => {
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read plugin ${id} at ${path}`, {
      cause: error,
    });
  });
  const bytes = (await stat(target)).isFile()
    ? await readFile(target)
    : canonicalManifestBytes(await buildManifest(target, id, version));
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
