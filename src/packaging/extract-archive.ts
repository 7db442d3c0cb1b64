import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JovianError } from '../errors.js';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive-limits.js';
import { readTgz } from './read-tgz.js';
import { readZip } from './read-zip.js';

/**
 * Extracts a .tgz, .tar or .zip package into `staging`, which must not exist or be empty.
 *
 * Every entry is read and checked in memory first (archive-entry.ts: safe relative paths, no links,
 * no devices, no duplicates, caps); only when the whole archive has passed is anything written, and
 * then only below `staging`, into folders this function created — so a refused archive writes nothing
 * at all, inside or outside the staging folder. Files get mode 0644, or 0755 when the archive marks
 * them executable; owners and times are not restored.
 */
export async function extractArchive(
  archive: string,
  staging: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<{ files: string[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(archive);
  } catch (error) {
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read ${archive}`, { cause: error });
  }
  const isZip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const collector = isZip ? await readZip(bytes, archive, limits) : await readTgz(bytes, archive, limits);

  refuseFileAsFolder(collector.files, archive);
  await mkdir(dirname(staging), { recursive: true });
  await mkdir(staging).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST' || (await readdir(staging)).length > 0)
      throw new JovianError(
        'JOVIAN_E_FILE_WRITE_FAILED',
        `staging folder ${staging} exists and is not empty`,
        {
          cause: error,
        },
      );
  });
  for (const dir of collector.directories) await mkdir(join(staging, dir), { recursive: true });
  for (const file of collector.files) {
    const target = join(staging, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.data, { flag: 'wx', mode: file.executable ? 0o755 : 0o644 });
  }
  return { files: collector.files.map((f) => f.path) };
}

/** Refuses `a` as a file next to `a/b`: one path cannot be both a file and a folder. */
function refuseFileAsFolder(files: readonly { path: string }[], archive: string): void {
  const paths = new Set(files.map((f) => f.path));
  for (const { path } of files) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (paths.has(parent))
        throw new JovianError(
          'JOVIAN_E_PACKAGE_BAD_PATH',
          `${archive}: entry \`${path}\` lies below \`${parent}\`, which is a file`,
        );
    }
  }
}
