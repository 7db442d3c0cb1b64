import { JovianError } from '../errors.js';
import type { HookMap } from '../hooks/index.js';
import type { PluginHost } from './plugin-host.js';

/** What installers ask a host, the CLI's own as the one `jovian serve` runs. */

/** Every plugin the host found, with its version (the installer's dependency check). */
export async function knownVersions<H extends HookMap>(host: PluginHost<H>): Promise<Map<string, string>> {
  await host.load();
  return new Map(
    host.records().map((r) => [r.id, r.manifest?.version ?? r.identity.version ?? '0.0.0'] as const),
  );
}

/** Enabled plugins whose required dependencies include `id` (they block its uninstall). */
export async function enabledDependents<H extends HookMap>(
  host: PluginHost<H>,
  id: string,
): Promise<string[]> {
  await host.load();
  return host
    .records()
    .filter((r) => r.id !== id && host.isEnabled(r.id))
    .filter((r) => r.manifest?.dependencies.some((d) => d.id === id && !d.optional))
    .map((r) => r.id);
}

/**
 * The first start of a newly installed version in a started host: the plugin must resolve, activate
 * and answer its first health check without failing (a disabled plugin is only checked to resolve).
 * @throws JOVIAN_E_INSTALL_ROLLED_BACK with the reason (the installer then puts the previous version back)
 */
export async function proveFirstStart<H extends HookMap>(host: PluginHost<H>, id: string): Promise<void> {
  const record = host.record(id);
  if (!record) throw new JovianError('JOVIAN_E_PLUGIN_NOT_FOUND', 'the host does not find it after the swap');
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
        { cause: error },
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
