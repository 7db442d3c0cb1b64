import { join } from 'node:path';
import { dataDirLayout, loadGlobalConfig, lockFileFor } from '../../config/index.js';
import {
  type ChatHooks,
  enabledDependents,
  knownVersions,
  type PluginHost,
  proveFirstStart,
} from '../../host/index.js';
import { Installer, type InstallerHost, type InstallPlan } from '../../packaging/index.js';
import type { CliContext } from '../cli-context.js';

export interface InstallerOptions {
  readonly catalog?: string | undefined;
  readonly trustStore?: string | undefined;
}

/**
 * The first start of a newly installed version, in a host of its own: the plugin must load, activate
 * and answer its first health check without failing; otherwise the reason is thrown (and the installer
 * puts the previous version back).
 */
export async function firstStart(host: PluginHost<ChatHooks>, plan: InstallPlan): Promise<void> {
  try {
    await host.start();
    await proveFirstStart(host, plan.id);
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
    known: () => knownVersions(host),
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
