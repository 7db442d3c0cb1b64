import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { JovianError } from '../errors.js';

let tempCounter = 0;

export interface AtomicWriteOptions {
  /** File mode of the new file; default 0o644. Use 0o600 for secrets. */
  readonly mode?: number;
  /** Create missing parent directories; default true. */
  readonly createDir?: boolean;
}

/**
 * Writes `data` to `file` so that a crash at any point leaves either the old content or the new one,
 * never a mix: a temporary file is created in the same directory with `wx`, written, flushed with
 * fsync, renamed over `file`, and then the directory itself is flushed so the rename survives a power
 * loss (the step write-file-atomic skips).
 * @throws JovianError `JOVIAN_E_FILE_WRITE_FAILED`; `file` is unchanged in that case.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(file);
  // Unique per process and call; `wx` refuses an existing file anyway.
  const temp = join(
    dir,
    `.${basename(file)}.${process.pid}.${Date.now().toString(36)}${(tempCounter++).toString(36)}.tmp`,
  );
  try {
    if (options.createDir !== false) await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx', options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncDirectory(dir);
    await removeStaleTemps(dir, basename(file));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new JovianError(
      'JOVIAN_E_FILE_WRITE_FAILED',
      `could not write ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** fsync of a folder, so that a rename or link made in it survives a crash; a no-op where the file system refuses it. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory (EISDIR/EINVAL/EPERM); the rename is done anyway.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/** Removes temporary files of `name` left by writers that died mid-write (their process is gone). */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const pid = Number(entry.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dir, entry)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
