import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { create } from 'tar';

/** Every archive entry gets this time, so that packing the same files twice gives the same bytes. */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

/**
 * Writes `files` (relative posix paths under `root`, in the given order) into a gzip tarball at `out`,
 * with fixed times and no owner names (tar's `portable`); written beside `out` and renamed into place.
 */
export async function writeTarball(root: string, files: readonly string[], out: string): Promise<void> {
  const temp = join(dirname(out), `.${process.pid}.${Date.now()}.tgz.tmp`);
  try {
    await create(
      { gzip: true, portable: true, mtime: FIXED_MTIME, cwd: root, file: temp, noDirRecurse: true },
      [...files],
    );
    await rename(temp, out);
  } finally {
    await rm(temp, { force: true });
  }
}
