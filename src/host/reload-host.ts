import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { JovianError } from '../errors.js';
import type { HookMap } from '../hooks/index.js';
import { checkLuaSyntax, checkRuntimeCapabilities } from '../runtimes/index.js';
import type { IsolationPolicy } from '../security/index.js';
import { adoptBeside, discardBeside, startBeside } from './activate-beside.js';
import type { Activator } from './activator.js';
import { placedManifest } from './build-registry.js';
import { CORE_PLUGIN_IDS } from './core-plugins.js';
import type { HostCore } from './host-core.js';
import type { HostPlugins } from './host-plugins.js';
import type { ReloadHost } from './plugin-reload.js';
import { recheckSignature, type TrustSettings } from './plugin-trust.js';
import { unknownHookWarnings } from './unknown-hooks.js';

/** The host as hot reload sees it: the registry, the activator and the plugin machinery. */
export function reloadHostFor<H extends HookMap>(
  host: HostCore<H> & { serial<T>(work: () => Promise<T>): Promise<T> },
  parts: {
    activator: Activator;
    plugins: HostPlugins<H>;
    policy: () => IsolationPolicy;
    trust: () => TrustSettings;
  },
): ReloadHost {
  const { activator, plugins } = parts;
  return {
    dataDir: host.config.dataDir,
    get developerMode() {
      return host.developerMode;
    },
    reservedIds: CORE_PLUGIN_IDS,
    reloadHooks: host.config.reloadHooks,
    place: (record, manifest) => {
      const placed = placedManifest(manifest, record.trust, parts.policy(), host.hooks);
      return {
        ...placed,
        // The signature check of the load stands (a strict-mode refusal refuses the reload too).
        diagnostics: [
          ...record.trustDiagnostics,
          ...placed.diagnostics,
          ...checkRuntimeCapabilities(placed.manifest),
          ...unknownHookWarnings(placed.manifest, host.hooks),
        ],
      };
    },
    checkCode: async (record, manifest) => {
      if (manifest.runtime === 'lua') {
        const file = resolve(record.dir, manifest.main);
        const problem = await checkLuaSyntax(await readFile(file, 'utf8'), file);
        if (problem)
          throw new JovianError(
            'JOVIAN_E_RELOAD_FAILED',
            `${problem.file}:${problem.line}: ${problem.message}`,
            {
              hint: 'fix the Lua at that line and save again; the running version is untouched',
              where: { file: problem.file, line: problem.line, column: 1 },
            },
          );
      }
      // The reload keeps the plugin's trust: a signed plugin must still verify, with a key of that level.
      if (record.signature) record.signature = await recheckSignature(record, parts.trust());
    },
    activate: (record, event) => activator.activate(record, event),
    startBeside: (record, manifest, code) => startBeside(plugins, record, manifest, code),
    adopt: (record, next, event) => adoptBeside(plugins, record, next, event),
    discard: (next) => discardBeside(plugins, next),
    keepConfig: (record) => plugins.stores.keepConfig(record),
    deactivate: (record, reason) => host.serial(() => activator.deactivate(record, reason)),
    recover: (record, reason) => host.recover(record, reason, false),
    callOwnTap: (record, hook) => plugins.callOwnTap(record, hook),
    redeclare: (record) => {
      plugins.uninstallSlots(record);
      host.contributions.undeclare(record.id);
      record.addDiagnostics(host.contributions.declare(record.manifest!));
      if (record.state === 'resolved' || record.state === 'stopped') plugins.installSlots(record);
    },
    forgetFailures: (record) => {
      plugins.recovery.cancel(record);
      record.health = undefined;
    },
    announce: (topic, payload) => host.events.emit(topic, payload, { source: 'host' }),
    log: (record, level, message) => host.logs.write(record.id, level, message),
    audit: (record, decision, reason) =>
      host.audit.record({ plugin: record.id, action: 'plugin.reload', target: record.id, decision, reason }),
  };
}
