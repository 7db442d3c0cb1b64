import { join } from 'node:path';
import { dataDirLayout, loadGlobalConfig } from '../config/index.js';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
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
      trustStore: join(dataDir, 'allowed_signers'),
      catalog: process.env.JOVIAN_CATALOG ?? global.packages.catalog,
      keep: global.packages.keep_versions,
    },
    runningInstallerHost(host),
  );
}

/** The InstallerHost of a running host (exported for tests of the undo path). */
export function runningInstallerHost(host: PluginHost<ChatHooks>): InstallerHost {
  return {
    known: async () =>
      new Map(
        host.records().map((r) => [r.id, r.manifest?.version ?? r.identity.version ?? '0.0.0'] as const),
      ),
    tryStart: async (plan) => {
      const before = host.record(plan.id)?.manifest?.version;
      await takeIn(host, plan.id, `${plan.action} ${plan.version}`);
      await proveRunning(host, plan.id);
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
    dependents: async (id) =>
      host
        .records()
        .filter((r) => r.id !== id && host.isEnabled(r.id))
        .filter((r) => r.manifest?.dependencies.some((d) => d.id === id && !d.optional))
        .map((r) => r.id),
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

/** Adds the plugin (first install) or runs the version now on disk (update, rollback). */
async function takeIn(host: PluginHost<ChatHooks>, id: string, reason: string): Promise<void> {
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

/**
 * The first start: the plugin resolves, activates and answers its first health check (a disabled
 * plugin is only checked to resolve). @throws JOVIAN_E_INSTALL_ROLLED_BACK with the reason
 */
async function proveRunning(host: PluginHost<ChatHooks>, id: string): Promise<void> {
  const record = host.require(id);
  if (record.state === 'disabled') return;
  if (record.state === 'blocked' || record.state === 'error')
    throw new JovianError('JOVIAN_E_INSTALL_ROLLED_BACK', record.reason ?? `it is ${record.state}`);
  if (record.state !== 'ready') {
    try {
      await host.activate(id, 'install');
    } catch (error) {
      throw new JovianError(
        'JOVIAN_E_INSTALL_ROLLED_BACK',
        `it did not activate: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  if (host.record(id)?.state !== 'ready')
    throw new JovianError('JOVIAN_E_INSTALL_ROLLED_BACK', host.record(id)?.reason ?? 'it did not activate');
  const check = await host.checkHealth(id);
  if (check?.status === 'failing')
    throw new JovianError(
      'JOVIAN_E_INSTALL_ROLLED_BACK',
      `its health check fails: ${check.message ?? 'no reason given'}`,
    );
}
