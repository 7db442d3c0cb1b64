import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JovianError } from '../errors.js';
import { extractArchive } from './extract-archive.js';

/**
 * Runs `fn` on a plugin folder: the folder itself, or a .tgz/.tar/.zip extracted into a fresh
 * temporary staging folder (removed afterwards). `extracted` tells which.
 */
export async function withPackageFolder<T>(
  target: string,
  fn: (root: string, extracted: boolean) => Promise<T>,
): Promise<T> {
  const path = resolve(target);
  const info = await stat(path).catch((error: unknown) => {
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read ${path}`, { cause: error });
  });
  if (info.isDirectory()) return fn(path, false);
  const temp = await mkdtemp(join(tmpdir(), 'jovian-package-'));
  try {
    const staging = join(temp, 'package');
    await extractArchive(path, staging);
    return await fn(staging, true);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
