import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { type LockEntry, readLockFile, writeLockEntry } from '../config/index.js';
import { JovianError } from '../errors.js';
import { lockEntryFor, type TrustedSigner } from '../security/index.js';
import { syncDirectory } from '../util/index.js';
import type { Catalog } from './catalog.js';
import { withInstallLock } from './install-lock.js';
import {
  type InstalledVersion,
  type InstallPlan,
  planInstall,
  readFolderManifest,
  type TrustMode,
} from './install-plan.js';
import {
  currentVersionFolder,
  type InstalledLayout,
  installedLayout,
  newStagingFolder,
  pointAt,
  pruneVersions,
  removeLeftovers,
  versionFolderName,
} from './installed-layout.js';
import { stageSource } from './stage-source.js';

/** The steps of an install, in order, as `onStep` reports them. */
export type InstallStep = 'staged' | 'planned' | 'moved' | 'swapped' | 'checked' | 'rolled-back' | 'done';

export interface InstallOptions {
  /** Where installed plugins live: `<data-dir>/plugins`. */
  readonly pluginsDir: string;
  readonly mode: TrustMode;
  readonly allowUnsignedLocal: boolean;
  readonly signers: readonly TrustedSigner[];
  /** Consent given in advance (`--yes`). */
  readonly yes?: boolean | undefined;
  /** Check and show the plan; change nothing. */
  readonly dryRun?: boolean | undefined;
  readonly allowDowngrade?: boolean | undefined;
  /** Versions kept besides the one in use, for rollback. Default 2. */
  readonly keep?: number | undefined;
  /** Plugins the host knows, with their versions (the dependency check). */
  readonly known: ReadonlyMap<string, string>;
  readonly catalog?: (() => Promise<Catalog>) | undefined;
  /** Asked when consent is needed and `yes` is not set; no callback means no consent. */
  readonly consent?: ((plan: InstallPlan) => Promise<boolean>) | undefined;
  /**
   * Activates the plugin from its new folder and runs its first health check; throwing puts the
   * previous version back. Absent: no check.
   */
  readonly check?: ((plan: InstallPlan) => Promise<void>) | undefined;
  /**
   * Called after a failed `check`, once the link is back on the previous version (or gone, for a
   * first install): a running host runs the previous version again here.
   */
  readonly rolledBack?: ((plan: InstallPlan) => Promise<void>) | undefined;
  /** Called once the new version is in place and checked (the lockfile is written here). */
  readonly installed?: ((plan: InstallPlan, folder: string) => Promise<void>) | undefined;
  readonly onStep?: ((step: InstallStep) => void) | undefined;
  /** jovian.lock: the plugin's entry follows the version in use (written before the first start). */
  readonly lockFile?: string | undefined;
}

export type InstallOutcome =
  | { readonly status: 'installed' | 'unchanged'; readonly plan: InstallPlan; readonly folder: string }
  | { readonly status: 'dry-run' | 'needs-consent'; readonly plan: InstallPlan };

/** The version installed now, read from its folder. */
export async function installedVersion(
  layout: InstalledLayout,
  id: string,
): Promise<InstalledVersion | null> {
  const folder = await currentVersionFolder(layout, id);
  if (!folder) return null;
  const manifest = readFolderManifest(folder);
  return { version: manifest.version, folder, permissions: manifest.permissions };
}

/** Every plugin installed in the layout, with its version (unreadable ones left out). */
export async function installedPlugins(layout: InstalledLayout): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const names = await readdir(layout.root).catch(() => [] as string[]);
  for (const name of names.filter((n) => !n.startsWith('.'))) {
    const current = await installedVersion(layout, name).catch(() => null);
    if (current) found.set(name, current.version);
  }
  return found;
}

/** Records the version now in use in jovian.lock, keeping the enabled flag of the entry it replaces. */
async function recordInLock(
  lockFile: string,
  plan: InstallPlan,
  folder: string,
  before: LockEntry | undefined,
): Promise<void> {
  const entry = await lockEntryFor({ path: folder, manifest: plan.manifest }, before?.enabled ?? true, {
    source: plan.source.origin,
    trust: plan.trust,
    signer: plan.signature ? `${plan.signature.signer} ${plan.signature.fingerprint}` : undefined,
  });
  await writeLockEntry(lockFile, plan.id, entry);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Installs, updates or reinstalls a plugin from a folder, a package file, an https URL or a catalog
 * name: staged extraction, checks and plan (install-plan.ts), consent, then the new version's folder
 * is moved into place complete and `<id>` is switched to it in one atomic rename. If `check` fails,
 * the link goes back to the previous version (or away, for a first install) and the failed version is
 * removed. Older versions beyond `keep` are pruned. Killed at any moment, the plugin's link points at
 * the old version or at the complete new one; leftovers are removed by the next install.
 */
export function installPlugin(source: string, options: InstallOptions): Promise<InstallOutcome> {
  const layout = installedLayout(options.pluginsDir);
  const step = options.onStep ?? (() => undefined);
  return withInstallLock(layout.root, async () => {
    await removeLeftovers(layout);
    const staging = await newStagingFolder(layout);
    try {
      const staged = await stageSource(source, staging, { catalog: options.catalog });
      step('staged');
      const plan = await planInstall(staged, {
        mode: options.mode,
        allowUnsignedLocal: options.allowUnsignedLocal,
        signers: options.signers,
        allowDowngrade: options.allowDowngrade ?? false,
        previous: (id) => installedVersion(layout, id),
        known: new Map([...options.known, ...(await installedPlugins(layout))]),
      });
      step('planned');
      if (options.dryRun) return { status: 'dry-run', plan };
      if (plan.missing.length > 0)
        throw new JovianError(
          'JOVIAN_E_INSTALL_DEPENDENCY_MISSING',
          `plugin \`${plan.id}\` requires ${plan.missing.map((d) => `\`${d.id}\` ${d.range}`).join(', ')}, not installed`,
          { hint: 'install them first, or run again with --install-deps to install them from the catalog' },
        );
      const folder = join(layout.versionsOf(plan.id), versionFolderName(plan.version, plan.hash));
      const previous = plan.previous;
      if (previous?.folder === folder) return { status: 'unchanged', plan, folder };
      if (plan.consent.length > 0 && !options.yes && !(await options.consent?.(plan)))
        return { status: 'needs-consent', plan };
      const fresh = !(await exists(folder));
      if (fresh) {
        await mkdir(layout.versionsOf(plan.id), { recursive: true });
        await rename(staged.root, folder);
        const now = new Date();
        await utimes(folder, now, now);
        await syncDirectory(layout.versionsOf(plan.id));
      }
      step('moved');
      // Read first: a broken jovian.lock stops the install before anything changes.
      const locked = options.lockFile ? (await readLockFile(options.lockFile))?.plugins[plan.id] : undefined;
      await pointAt(layout, plan.id, folder);
      step('swapped');
      try {
        if (options.lockFile) await recordInLock(options.lockFile, plan, folder, locked);
        await options.check?.(plan);
      } catch (error) {
        if (options.lockFile) await writeLockEntry(options.lockFile, plan.id, locked);
        await pointAt(layout, plan.id, previous?.folder);
        if (fresh) await rm(folder, { recursive: true, force: true });
        await options.rolledBack?.(plan);
        step('rolled-back');
        const back = previous ? `version ${previous.version} is back in use` : 'nothing was installed';
        throw new JovianError(
          'JOVIAN_E_INSTALL_ROLLED_BACK',
          `plugin \`${plan.id}\` ${plan.version} failed its first start (${(error as Error).message}); ${back}`,
          { cause: error, hint: `see \`jovian logs ${plan.id}\`; fix the package and install again` },
        );
      }
      step('checked');
      await pruneVersions(layout, plan.id, folder, options.keep ?? 2);
      await options.installed?.(plan, folder);
      step('done');
      return { status: 'installed', plan, folder };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}
