import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readLockFile, writeLockEntry } from '../config/index.js';
import { JovianError } from '../errors.js';
import { lockEntryFor } from '../security/index.js';
import { withInstallLock } from './install-lock.js';
import { type InstalledVersion, readFolderManifest } from './install-plan.js';
import { installedVersion } from './install-plugin.js';
import { installedLayout, keptVersions, pointAt, removeLeftovers } from './installed-layout.js';

export function notInstalled(id: string, pluginsDir: string): JovianError {
  return new JovianError(
    'JOVIAN_E_PLUGIN_NOT_INSTALLED',
    `plugin \`${id}\` is not installed in ${pluginsDir}`,
    {
      hint: 'check the id with `jovian plugins list`; plugins in other folders are managed by hand',
    },
  );
}

/**
 * Removes an installed plugin: its link first (one atomic rename, so the host no longer finds it),
 * then every kept version. Its settings and data (`<data-dir>/plugin-data/<id>`) stay unless `purge`.
 * The dependents check is the caller's (it needs the host's graph).
 */
export function uninstallPlugin(
  id: string,
  options: {
    readonly pluginsDir: string;
    readonly purgeData?: string | undefined;
    readonly lockFile?: string | undefined;
  },
): Promise<InstalledVersion> {
  const layout = installedLayout(options.pluginsDir);
  return withInstallLock(layout.root, async () => {
    await removeLeftovers(layout);
    const current = await installedVersion(layout, id);
    if (!current) throw notInstalled(id, layout.root);
    await pointAt(layout, id, undefined);
    if (options.lockFile) await writeLockEntry(options.lockFile, id, undefined);
    await rm(layout.versionsOf(id), { recursive: true, force: true });
    if (options.purgeData) await rm(options.purgeData, { recursive: true, force: true });
    return current;
  });
}

/**
 * Puts back the newest kept version older than the one in use (`jovian plugins rollback <id>`), in one
 * atomic switch. The version rolled away from is kept, so that it can be restored by installing it again.
 */
export function rollbackPlugin(
  id: string,
  options: { readonly pluginsDir: string; readonly lockFile?: string | undefined },
): Promise<{ from: InstalledVersion; to: string }> {
  const layout = installedLayout(options.pluginsDir);
  return withInstallLock(layout.root, async () => {
    const current = await installedVersion(layout, id);
    if (!current) throw notInstalled(id, layout.root);
    const others = (await keptVersions(layout, id)).map((name) => join(layout.versionsOf(id), name));
    const dated = await Promise.all(
      others.filter((f) => f !== current.folder).map(async (f) => ({ f, t: (await stat(f)).mtimeMs })),
    );
    const target = dated.sort((a, b) => b.t - a.t)[0]?.f;
    if (!target)
      throw new JovianError('JOVIAN_E_PLUGIN_NOT_INSTALLED', `plugin \`${id}\` has no earlier version kept`, {
        hint: 'install the version you want from its package (with --allow-downgrade if it is older)',
      });
    await pointAt(layout, id, target);
    if (options.lockFile) {
      const before = (await readLockFile(options.lockFile))?.plugins[id];
      const manifest = readFolderManifest(target);
      const entry = await lockEntryFor({ path: target, manifest }, before?.enabled ?? true, {
        source: `rollback from ${current.version}`,
      });
      await writeLockEntry(options.lockFile, id, entry);
    }
    return { from: current, to: target };
  });
}
