import { join } from 'node:path';
import { JovianError } from '../errors.js';
import type { PackageManifest } from './canonical-manifest.js';
import { listPackageFiles, sha256File } from './package-files.js';

/**
 * Checks that the folder holds exactly the files MANIFEST.json lists, with the same SHA-256: the first
 * difference is thrown, naming the file (JOVIAN_E_PACKAGE_FILE_CHANGED, _MISSING or _UNLISTED; links
 * and special files are refused while listing). `strict` (for extracted packages) also counts files
 * under the paths packing leaves out.
 */
export async function checkPackageFiles(
  root: string,
  manifest: PackageManifest,
  strict: boolean,
): Promise<void> {
  const present = await listPackageFiles(root, { strict });
  const listed = new Set(Object.keys(manifest.files));
  for (const path of present)
    if (!listed.has(path))
      throw new JovianError(
        'JOVIAN_E_PACKAGE_FILE_UNLISTED',
        `${join(root, path)} is not listed in MANIFEST.json`,
      );
  const there = new Set(present);
  for (const [path, hash] of Object.entries(manifest.files)) {
    if (!there.has(path))
      throw new JovianError(
        'JOVIAN_E_PACKAGE_FILE_MISSING',
        `${join(root, path)} is listed in MANIFEST.json but missing`,
      );
    if ((await sha256File(join(root, path))) !== hash)
      throw new JovianError(
        'JOVIAN_E_PACKAGE_FILE_CHANGED',
        `${join(root, path)} was changed after signing (its SHA-256 differs from MANIFEST.json)`,
      );
  }
}
