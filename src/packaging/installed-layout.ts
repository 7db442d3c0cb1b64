import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { JovianError } from '../errors.js';
import { syncDirectory } from '../util/index.js';

/**
 * Where installed plugins live, under `<data-dir>/plugins` (the host's default plugins directory):
 *
 * - `<id>`: a symbolic link to the version in use — what the host discovers;
 * - `.versions/<id>/<version>_<hash12>/`: each kept version, complete before anything points at it;
 * - `.staging/<random>/`: a package being extracted and checked.
 *
 * Switching versions is one `rename()` of a new link over the old one, which the file system does
 * atomically: a crash at any moment leaves the link on the old version or on the new one. Names that
 * start with `.` are skipped by discovery.
 */
export interface InstalledLayout {
  readonly root: string;
  link(id: string): string;
  versionsOf(id: string): string;
  readonly stagingRoot: string;
}

export function installedLayout(pluginsDir: string): InstalledLayout {
  const root = resolve(pluginsDir);
  return {
    root,
    link: (id) => join(root, id),
    versionsOf: (id) => join(root, '.versions', id),
    stagingRoot: join(root, '.staging'),
  };
}

/** The folder name of one installed version. */
export function versionFolderName(version: string, hash: string): string {
  return `${version}_${hash.replace(/^sha256:/, '').slice(0, 12)}`;
}

const randomName = (prefix: string) => `${prefix}${process.pid}-${randomBytes(6).toString('hex')}`;

/** A new, empty staging folder. */
export async function newStagingFolder(layout: InstalledLayout): Promise<string> {
  await mkdir(layout.stagingRoot, { recursive: true });
  const dir = join(layout.stagingRoot, randomName(''));
  await mkdir(dir);
  return dir;
}

/**
 * The version folder `<id>` points at, or undefined when it is not installed. A real folder (not a
 * link) at `<id>` was not installed by Jovian: refused, so that it is never overwritten.
 */
export async function currentVersionFolder(layout: InstalledLayout, id: string): Promise<string | undefined> {
  const link = layout.link(id);
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(link);
  } catch {
    return undefined;
  }
  if (!stats.isSymbolicLink())
    throw new JovianError(
      'JOVIAN_E_INSTALL_CONFLICT',
      `${link} is a folder that was not installed by Jovian, so it cannot be replaced or removed by it`,
      {
        hint: `move that folder out of ${layout.root} (or use another --data-dir), then install again`,
      },
    );
  return resolve(layout.root, await readlink(link));
}

/** Every kept version folder of a plugin, by name. */
export async function keptVersions(layout: InstalledLayout, id: string): Promise<string[]> {
  try {
    return (await readdir(layout.versionsOf(id))).filter((name) => !name.startsWith('.')).sort();
  } catch {
    return [];
  }
}

/**
 * Points `<id>` at `versionFolder` (or removes the link when undefined) in one atomic step: a new link
 * is made beside it under a dot-name, then renamed over the old one.
 */
export async function pointAt(
  layout: InstalledLayout,
  id: string,
  versionFolder: string | undefined,
): Promise<void> {
  const link = layout.link(id);
  if (versionFolder === undefined) {
    const doomed = join(layout.root, randomName(`.removed-${id}-`));
    await rename(link, doomed).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await syncDirectory(layout.root);
    await rm(doomed, { force: true });
    return;
  }
  const temp = join(layout.root, randomName(`.link-${id}-`));
  await symlink(relative(layout.root, versionFolder), temp, 'dir');
  try {
    await rename(temp, link);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(layout.root);
}

/**
 * Removes what an interrupted install or uninstall left: staging folders, unused link names, and
 * version folders being moved. Never touches a version a link points at.
 */
export async function removeLeftovers(layout: InstalledLayout): Promise<void> {
  await rm(layout.stagingRoot, { recursive: true, force: true });
  let entries: string[];
  try {
    entries = await readdir(layout.root);
  } catch {
    return;
  }
  for (const name of entries)
    if (name.startsWith('.link-') || name.startsWith('.removed-'))
      await rm(join(layout.root, name), { recursive: true, force: true });
}

/** Keeps the `keep` newest versions besides the current one (by install order: folder mtime), removes the rest. */
export async function pruneVersions(
  layout: InstalledLayout,
  id: string,
  current: string,
  keep: number,
): Promise<string[]> {
  const dir = layout.versionsOf(id);
  const names = await keptVersions(layout, id);
  const dated: { name: string; time: number }[] = [];
  for (const name of names) {
    if (join(dir, name) === current) continue;
    const stats = await lstat(join(dir, name));
    dated.push({ name, time: stats.mtimeMs });
  }
  dated.sort((a, b) => b.time - a.time);
  const removed = dated.slice(keep).map((d) => d.name);
  for (const name of removed) await rm(join(dir, name), { recursive: true, force: true });
  return removed;
}
