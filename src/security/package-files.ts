import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JovianError } from '../errors.js';
import { isExcluded, MANIFEST_FILE, SIGNATURE_FILE } from './package-paths.js';

/**
 * Lists the files of a plugin folder that a package holds, as sorted relative posix paths: every
 * regular file except MANIFEST.json and plugin.sig at the root and the excluded paths
 * (package-paths.ts). A symlink, a device, a socket or a FIFO anywhere is refused
 * (JOVIAN_E_PACKAGE_LINK / JOVIAN_E_PACKAGE_SPECIAL_FILE) rather than skipped, so that what is signed is
 * exactly what is there. With `strict`, excluded paths are not skipped but listed (an extracted
 * package must not hold anything unsigned).
 */
export async function listPackageFiles(root: string, options: { strict?: boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (!options.strict && isExcluded(path)) continue;
      if (entry.isSymbolicLink())
        throw new JovianError('JOVIAN_E_PACKAGE_LINK', `${join(root, path)} is a symbolic link`);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        if (relative === '' && (entry.name === MANIFEST_FILE || entry.name === SIGNATURE_FILE)) continue;
        out.push(path);
      } else
        throw new JovianError(
          'JOVIAN_E_PACKAGE_SPECIAL_FILE',
          `${join(root, path)} is not a regular file (device, socket or FIFO)`,
        );
    }
  };
  // The folder itself may be reached through a link (an installed plugin is a link to its version);
  // links below it are refused.
  const top = await stat(root).catch((error: unknown) => {
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read plugin folder ${root}`, { cause: error });
  });
  if (!top.isDirectory())
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `${root} is not a folder`, {
      hint: 'Give the plugin folder (the one holding plugin.yaml) or a .tgz/.zip package.',
    });
  await walk('');
  return out.sort(compareUtf8);
}

/** Sorts by UTF-8 bytes: the order of MANIFEST.json keys and of archive entries. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The lowercase hex SHA-256 of a file. */
export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
