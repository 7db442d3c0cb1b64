import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import SemVer from 'semver/classes/semver.js';
import { JovianError } from '../errors.js';
import { loadTrustStore } from '../security/index.js';
import { type Catalog, entryLocation, loadCatalog, newestInCatalog } from './catalog.js';
import type { InstallPlan, TrustMode } from './install-plan.js';
import { type InstallOutcome, installedVersion, installPlugin } from './install-plugin.js';
import { installedLayout, keptVersions } from './installed-layout.js';
import { notInstalled, rollbackPlugin, uninstallPlugin } from './uninstall-plugin.js';

/** How installs behave, from jovian.yaml and the command line. */
export interface InstallerSettings {
  readonly dataDir: string;
  readonly mode: TrustMode;
  readonly allowUnsignedLocal: boolean;
  /** allowed_signers file; a missing file means no trusted key. */
  readonly trustStore: string;
  /** Catalog file or URL, for names, `update` and `check-updates`. */
  readonly catalog?: string | undefined;
  /** Versions kept besides the one in use. Default 2. */
  readonly keep?: number | undefined;
  /** jovian.lock, kept in step with installs (created by the first one). */
  readonly lockFile?: string | undefined;
}

/** What the installer needs from a host: the CLI's own, or the one `jovian serve` runs. */
export interface InstallerHost {
  /** Every plugin the host knows, with its version (for dependency checks). */
  known(): Promise<ReadonlyMap<string, string>>;
  /** Starts the plugin from its new folder and runs its first health check; throws when either fails. */
  tryStart(plan: InstallPlan): Promise<void>;
  /**
   * Called after a failed tryStart, the previous version being back on disk (or none, for a first
   * install): a running host runs it again (or forgets the plugin). Absent: nothing to do.
   */
  rolledBack?(plan: InstallPlan): Promise<void>;
  /** The plugin's link now points at another kept version (a rollback): a running host runs it. */
  switched?(id: string): Promise<void>;
  /** Enabled plugins that require `id`. */
  dependents(id: string): Promise<readonly string[]>;
  disable(id: string): Promise<void>;
  /** The plugin was removed from disk. */
  removed(id: string): Promise<void>;
  /** Records what was done in the audit log. */
  audit(action: 'plugin.install' | 'plugin.uninstall', id: string, target: string, reason: string): void;
}

export interface InstallRequest {
  readonly yes?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
  readonly allowDowngrade?: boolean | undefined;
  /** Install missing required dependencies from the catalog first. */
  readonly installDeps?: boolean | undefined;
  readonly consent?: ((plan: InstallPlan) => Promise<boolean>) | undefined;
}

/** A plugin installed by the installer. */
export interface InstalledPackage {
  readonly id: string;
  readonly version: string;
  /** The other versions kept, that `rollback` can put back. */
  readonly kept: readonly string[];
}

/** An update the catalog offers for an installed plugin. */
export interface AvailableUpdate {
  readonly id: string;
  readonly installed: string;
  readonly available: string;
  readonly url: string;
}

/**
 * Install, update, uninstall, roll back and check for updates, the same way for the CLI, the HTTP API
 * and the WebUI: settings say how strict to be, the host says what is there and starts new versions.
 */
export class Installer {
  readonly #settings: InstallerSettings;
  readonly #host: InstallerHost;
  #catalog: Promise<Catalog> | undefined;

  constructor(settings: InstallerSettings, host: InstallerHost) {
    this.#settings = settings;
    this.#host = host;
  }

  get pluginsDir(): string {
    return join(this.#settings.dataDir, 'plugins');
  }

  catalog(): Promise<Catalog> {
    const location = this.#settings.catalog;
    if (!location)
      return Promise.reject(
        new JovianError('JOVIAN_E_INSTALL_SOURCE_UNKNOWN', 'no catalog is set', {
          hint: 'set one with --catalog <file|url> or `catalog:` in jovian.yaml (docs/packaging.md#catalogs)',
        }),
      );
    this.#catalog ??= loadCatalog(location);
    return this.#catalog;
  }

  /** Installs `source` (and, with installDeps, the required plugins it lacks, from the catalog, first). */
  async install(source: string, request: InstallRequest = {}): Promise<InstallOutcome[]> {
    const outcomes: InstallOutcome[] = [];
    if (request.installDeps && !request.dryRun) {
      const preview = await this.#run(source, { ...request, dryRun: true });
      for (const dependency of preview.plan.missing) {
        const done = await this.install(dependency.id, request);
        outcomes.push(...done);
        if (done.some((o) => o.status === 'needs-consent')) return outcomes;
      }
    }
    outcomes.push(await this.#run(source, request));
    return outcomes;
  }

  async #run(source: string, request: InstallRequest): Promise<InstallOutcome> {
    const outcome = await installPlugin(source, {
      pluginsDir: this.pluginsDir,
      mode: this.#settings.mode,
      allowUnsignedLocal: this.#settings.allowUnsignedLocal,
      signers: await loadTrustStore(this.#settings.trustStore),
      yes: request.yes,
      dryRun: request.dryRun,
      allowDowngrade: request.allowDowngrade,
      keep: this.#settings.keep,
      known: await this.#host.known(),
      catalog: this.#settings.catalog ? () => this.catalog() : undefined,
      consent: request.consent,
      check: (plan) => this.#host.tryStart(plan),
      lockFile: this.#settings.lockFile,
      rolledBack: async (plan) => {
        await this.#host.rolledBack?.(plan);
      },
    });
    if (outcome.status === 'installed') {
      const { plan } = outcome;
      const signer = plan.signature
        ? `signed by ${plan.signature.signer} (${plan.signature.fingerprint})`
        : 'unsigned';
      this.#host.audit(
        'plugin.install',
        plan.id,
        outcome.folder,
        `${plan.action} ${plan.version}${plan.previous ? ` (was ${plan.previous.version})` : ''} from ${plan.source.origin}; trust ${plan.trust}, ${signer}`,
      );
    }
    return outcome;
  }

  /** Updates an installed plugin to the newest version the catalog offers ('up-to-date' when none is newer). */
  async update(id: string, request: InstallRequest = {}): Promise<InstallOutcome[] | 'up-to-date'> {
    const current = await installedVersion(installedLayout(this.pluginsDir), id);
    if (!current) throw notInstalled(id, this.pluginsDir);
    const newest = newestInCatalog(await this.catalog(), id);
    if (!newest || new SemVer(newest.version).compare(current.version) <= 0) return 'up-to-date';
    return this.install(`${id}@${newest.version}`, request);
  }

  /** The installed plugins for which the catalog has a newer version. */
  async checkUpdates(): Promise<AvailableUpdate[]> {
    const catalog = await this.catalog();
    const layout = installedLayout(this.pluginsDir);
    const updates: AvailableUpdate[] = [];
    for (const entry of catalog.entries) {
      if (updates.some((u) => u.id === entry.id)) continue;
      const current = await installedVersion(layout, entry.id).catch(() => null);
      const newest = newestInCatalog(catalog, entry.id);
      if (current && newest && new SemVer(newest.version).compare(current.version) > 0)
        updates.push({
          id: entry.id,
          installed: current.version,
          available: newest.version,
          url: entryLocation(catalog, newest),
        });
    }
    return updates.sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * Uninstalls a plugin. Refused while an enabled plugin requires it, unless `cascade`, which disables
   * those first. `purge` also deletes its settings and data.
   */
  async uninstall(
    id: string,
    options: { cascade?: boolean | undefined; purge?: boolean | undefined } = {},
  ): Promise<{ version: string; disabled: readonly string[] }> {
    const dependents = await this.#host.dependents(id);
    if (dependents.length > 0 && !options.cascade)
      throw new JovianError(
        'JOVIAN_E_UNINSTALL_REQUIRED',
        `cannot uninstall \`${id}\`: ${dependents.map((d) => `\`${d}\``).join(', ')} require${dependents.length === 1 ? 's' : ''} it and ${dependents.length === 1 ? 'is' : 'are'} enabled`,
        { hint: 'disable or uninstall them first, or run again with --cascade to disable them' },
      );
    for (const dependent of dependents) await this.#host.disable(dependent);
    const removed = await uninstallPlugin(id, {
      pluginsDir: this.pluginsDir,
      purgeData: options.purge ? join(this.#settings.dataDir, 'plugin-data', id) : undefined,
      lockFile: this.#settings.lockFile,
    });
    await this.#host.removed(id);
    this.#host.audit('plugin.uninstall', id, removed.folder, `version ${removed.version} removed`);
    return { version: removed.version, disabled: dependents };
  }

  /** Puts back the previous kept version of a plugin, checked like an install. */
  async rollback(id: string): Promise<{ from: string; to: string }> {
    const layout = installedLayout(this.pluginsDir);
    const result = await rollbackPlugin(id, {
      pluginsDir: this.pluginsDir,
      lockFile: this.#settings.lockFile,
    });
    const back = await installedVersion(layout, id);
    await this.#host.switched?.(id);
    this.#host.audit(
      'plugin.install',
      id,
      result.to,
      `rolled back from ${result.from.version} to ${back?.version}`,
    );
    return { from: result.from.version, to: back?.version ?? '?' };
  }

  /** The plugins installed in `<data-dir>/plugins`, each with its version and the other versions kept. */
  async installed(): Promise<InstalledPackage[]> {
    const layout = installedLayout(this.pluginsDir);
    const names = await readdir(layout.root).catch(() => [] as string[]);
    const found: InstalledPackage[] = [];
    for (const id of names.filter((name) => !name.startsWith('.')).sort()) {
      const current = await installedVersion(layout, id).catch(() => null);
      if (!current) continue;
      const kept = (await keptVersions(layout, id))
        .filter((folder) => join(layout.versionsOf(id), folder) !== current.folder)
        .map((folder) => folder.slice(0, folder.lastIndexOf('_')));
      found.push({ id, version: current.version, kept });
    }
    return found;
  }

  /** The versions kept for a plugin (folder names), for `plugins info`. */
  kept(id: string): Promise<string[]> {
    return keptVersions(installedLayout(this.pluginsDir), id);
  }
}
