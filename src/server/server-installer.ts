import { dataDirLayout, loadGlobalConfig } from '../config/index.js';
import { JovianError } from '../errors.js';
import {
  type ChatHooks,
  enabledDependents,
  knownVersions,
  type PluginHost,
  proveFirstStart,
} from '../host/index.js';
import { Installer, type InstallerHost, type InstallPlan } from '../packaging/index.js';

/**
 * The installer of `jovian serve`: the same Installer as the CLI's, over the running host. A new
 * plugin is adopted and a switched one replaced without restarting the others; a version that fails
 * its first start is undone and the previous one runs again.
 */
export async function serverInstaller(host: PluginHost<ChatHooks>): Promise<Installer> {
  const dataDir = host.config.dataDir;
  const global = await loadGlobalConfig(dataDirLayout(dataDir).globalConfig);
  return new Installer(
    {
      dataDir,
      mode: global.security.mode,
      allowUnsignedLocal: global.security.allow_unsigned_local_plugins,
      trustStore: host.config.trustStore,
      catalog: process.env.JOVIAN_CATALOG ?? global.packages.catalog,
      keep: global.packages.keep_versions,
      lockFile: host.config.lockFile,
    },
    runningInstallerHost(host),
  );
}

/** The InstallerHost of a running host. */
export function runningInstallerHost(host: PluginHost<ChatHooks>): InstallerHost {
  return {
    known: () => knownVersions(host),
    tryStart: async (plan) => {
      const before = host.record(plan.id)?.manifest?.version;
      await takeIn(host, plan.id, `${plan.action} ${plan.version}`);
      await proveFirstStart(host, plan.id);
      if (before === undefined)
        host.events.emit('plugin.installed', { id: plan.id, version: plan.version }, { source: 'host' });
      else
        host.events.emit(
          'plugin.updated',
          { id: plan.id, from: before, to: plan.version, action: plan.action },
          { source: 'host' },
        );
    },
    rolledBack: async (plan: InstallPlan) => {
      try {
        if (plan.previous) await takeIn(host, plan.id, `back to ${plan.previous.version}`);
        else await host.forget(plan.id);
      } catch (error) {
        host.logs.write(
          plan.id,
          'error',
          `the previous version did not start again: ${(error as Error).message}`,
        );
      }
    },
    switched: async (id) => {
      const before = host.record(id)?.manifest?.version;
      await takeIn(host, id, 'rollback');
      const after = host.record(id)?.manifest?.version;
      host.events.emit(
        'plugin.updated',
        { id, from: before, to: after, action: 'rollback' },
        { source: 'host' },
      );
    },
    dependents: (id) => enabledDependents(host, id),
    disable: async (id) => {
      await host.disable(id);
    },
    removed: async (id) => {
      await host.forget(id);
    },
    audit: (action, id, target, reason) =>
      host.audit.record({ plugin: id, action, target, decision: 'allow', reason }),
  };
}

/**
 * Adds the plugin (first install) or runs the version now on disk (update, rollback). A version whose
 * signature gives another trust level than the running one's is adopted afresh, so that it runs with
 * its own trust (and the isolation that trust sets), not the previous version's.
 */
async function takeIn(host: PluginHost<ChatHooks>, id: string, reason: string): Promise<void> {
  const record = host.record(id);
  if (record && (await host.trustOnDisk(id)) !== record.trust) await host.forget(id);
  if (!host.record(id)) {
    await host.adopt(id);
    return;
  }
  const result = await host.replace(id, reason);
  if (!result.ok)
    throw new JovianError('JOVIAN_E_INSTALL_ROLLED_BACK', result.error?.message ?? 'it did not load', {
      hint: `see \`jovian logs ${id}\``,
    });
}
