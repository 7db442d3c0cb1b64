import { join } from 'node:path';
import { dataDirLayout, loadGlobalConfig, lockFileFor } from '../../config/index.js';
import { JovianError } from '../../errors.js';
import type { ChatHooks, PluginHost } from '../../host/index.js';
import { Installer, type InstallerHost, type InstallPlan } from '../../packaging/index.js';
import type { CliContext } from '../cli-context.js';

export interface InstallerOptions {
  readonly catalog?: string | undefined;
  readonly trustStore?: string | undefined;
}

/** Every plugin the host found, with its version. */
export async function knownPlugins(host: PluginHost<ChatHooks>): Promise<Map<string, string>> {
  await host.load();
  return new Map(
    host.records().map((r) => [r.id, r.manifest?.version ?? r.identity.version ?? '0.0.0'] as const),
  );
}

/** Enabled plugins whose required dependencies include `id`. */
export async function enabledDependents(host: PluginHost<ChatHooks>, id: string): Promise<string[]> {
  await host.load();
  return host
    .records()
    .filter((r) => r.id !== id && host.isEnabled(r.id))
    .filter((r) => r.manifest?.dependencies.some((d) => d.id === id && !d.optional))
    .map((r) => r.id);
}

/**
 * The first start of a newly installed version, in a host of its own: the plugin must load, activate
 * and answer its first health check without failing; otherwise the reason is thrown (and the installer
 * puts the previous version back).
 */
export async function firstStart(host: PluginHost<ChatHooks>, plan: InstallPlan): Promise<void> {
  try {
    await host.start();
    const record = host.record(plan.id);
    if (!record)
      throw new JovianError('JOVIAN_E_PLUGIN_NOT_FOUND', 'the host does not find it after the swap');
    if (record.state === 'blocked' || record.state === 'error')
      throw new JovianError('JOVIAN_E_INSTALL_ROLLED_BACK', record.reason ?? `it is ${record.state}`);
    if (record.state === 'disabled') return;
    await host.activate(plan.id);
    if (host.record(plan.id)?.state !== 'ready')
      throw new JovianError(
        'JOVIAN_E_INSTALL_ROLLED_BACK',
        host.record(plan.id)?.reason ?? 'it did not activate',
      );
    const check = await host.checkHealth(plan.id);
    if (check?.status === 'failing')
      throw new JovianError(
        'JOVIAN_E_INSTALL_ROLLED_BACK',
        `its health check fails: ${check.message ?? 'no reason given'}`,
      );
  } finally {
    await host.stop();
  }
}

/** The installer for the CLI's data directory, with jovian.yaml's settings and `--catalog`/`--trust-store`. */
export async function localInstaller(ctx: CliContext, options: InstallerOptions = {}): Promise<Installer> {
  const layout = dataDirLayout(ctx.dataDir);
  const global = await loadGlobalConfig(layout.globalConfig);
  const host = ctx.host();
  const adapter: InstallerHost = {
    known: () => knownPlugins(host),
    tryStart: (plan) => firstStart(ctx.newHost(), plan),
    dependents: (id) => enabledDependents(host, id),
    disable: async (id) => {
      await host.disable(id);
    },
    removed: async () => undefined,
    audit: (action, id, target, reason) =>
      host.audit.record({ plugin: id, action, target, decision: 'allow', reason }),
  };
  return new Installer(
    {
      dataDir: ctx.dataDir,
      mode: global.security.mode,
      allowUnsignedLocal: global.security.allow_unsigned_local_plugins,
      trustStore: options.trustStore ?? join(ctx.dataDir, 'allowed_signers'),
      catalog: options.catalog ?? process.env.JOVIAN_CATALOG ?? global.packages.catalog,
      keep: global.packages.keep_versions,
      lockFile: lockFileFor({ dataDir: ctx.dataDir, projectFile: ctx.options.project }),
    },
    adapter,
  );
}
