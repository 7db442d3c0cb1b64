import { errorToData, JovianError } from '../errors.js';
import { rereadPlugin } from '../manifest/index.js';
import type { Diagnostic, ErrorData, Manifest, RuntimeKind } from '../types.js';
import { writeCrashDump } from './crash-dump.js';
import type { PluginCode, PluginRecord } from './plugin-record.js';

/** What hot reload needs from the host: a deliberately small interface. */
export interface ReloadHost {
  readonly dataDir: string;
  readonly developerMode: boolean;
  readonly reservedIds: ReadonlySet<string>;
  readonly reloadHooks: { readonly stop: string | null; readonly start: string | null };
  /** The manifest the plugin would run with (isolation policy applied) and its new problems. */
  place(
    record: PluginRecord,
    manifest: Manifest,
  ): {
    manifest: Manifest;
    declaredRuntime: RuntimeKind | undefined;
    diagnostics: Diagnostic[];
  };
  /** Checks the new code without running it (a Lua plugin's syntax). @throws JOVIAN_E_RELOAD_FAILED */
  checkCode(record: PluginRecord, manifest: Manifest): Promise<void>;
  activate(record: PluginRecord, event: string): Promise<void>;
  deactivate(record: PluginRecord, reason: string): Promise<boolean>;
  /** Takes a plugin out of `error` (back to `resolved`), without activating it. */
  recover(record: PluginRecord, reason: string): Promise<void>;
  /** Calls the plugin's own tap of a hook, when it taps it. */
  callOwnTap(record: PluginRecord, hook: string): Promise<unknown>;
  /** Re-declares the plugin's contributions and re-taps its hooks from its (new) manifest. */
  redeclare(record: PluginRecord): void;
  /** Stops automatic restarts and forgets breaker failures (a reload starts afresh). */
  forgetFailures(record: PluginRecord): void;
  announce(topic: 'plugin.reloaded' | 'plugin.reload_failed', payload: unknown): void;
  log(record: PluginRecord, level: 'info' | 'warn' | 'error', message: string): void;
  audit(record: PluginRecord, decision: 'allow' | 'deny', reason: string): void;
}

/** How a reload went. */
export interface ReloadResult {
  readonly id: string;
  /** True when the new version is the one that serves now. */
  readonly ok: boolean;
  /** The version that served before. */
  readonly from: string;
  /** The version read from disk (undefined when it could not be read). */
  readonly to: string | undefined;
  /** The plugin was running: it was stopped and the new version started (or the old one again). */
  readonly wasActive: boolean;
  /** On failure: whether the previous version serves again. */
  readonly rolledBack?: boolean;
  readonly error?: ErrorData;
  readonly crashDump?: string;
}

/** A version of a plugin as the registry holds it: what a rollback puts back. */
interface Version {
  readonly manifest: Manifest;
  readonly declaredRuntime: RuntimeKind | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly code: PluginCode | undefined;
}

const ACTIVE = new Set(['ready', 'suspended']);

/**
 * Hot reload (developer mode): reads the plugin again from disk, calls the old version's stop hook,
 * unloads it, loads the new version and calls its start hook. If the new version cannot be read,
 * loaded or started, the previous one is put back — running again when the runtime can run it from
 * memory (Lua source, in-process modules) — a crash dump is written and `plugin.reload_failed` is
 * emitted; on success, `plugin.reloaded`.
 */
export class PluginReloader {
  readonly #host: ReloadHost;
  readonly #inFlight = new Map<string, Promise<ReloadResult>>();
  #generation = 0;

  constructor(host: ReloadHost) {
    this.#host = host;
  }

  /**
   * @throws JOVIAN_E_RELOAD_REFUSED outside developer mode and for legacy plugins
   */
  reload(record: PluginRecord): Promise<ReloadResult> {
    if (!this.#host.developerMode) {
      throw new JovianError(
        'JOVIAN_E_RELOAD_REFUSED',
        `plugin \`${record.id}\` cannot be reloaded: the host is not in developer mode`,
        {
          hint: 'set `developer_mode: true` in jovian.yaml or pass --dev, then reload; in production, restart the host to load new code',
        },
      );
    }
    if (record.kind !== 'manifest' || !record.manifest) {
      throw new JovianError(
        'JOVIAN_E_RELOAD_REFUSED',
        `plugin \`${record.id}\` cannot be reloaded: ${record.legacy ? 'it is a legacy module, imported once' : 'its manifest could not be read'}`,
        {
          hint: record.legacy
            ? 'restart the host to load it again'
            : `fix it (\`jovian plugins doctor\`) and restart the host`,
        },
      );
    }
    const running = this.#inFlight.get(record.id);
    if (running) return running.then(() => this.reload(record));
    const reload = this.#reload(record, record.manifest).finally(() => this.#inFlight.delete(record.id));
    this.#inFlight.set(record.id, reload);
    return reload;
  }

  /**
   * Takes in the version the installer put in the plugin's folder (an install, update or rollback
   * switched it): the same steps as a reload, allowed outside developer mode because the new version
   * was checked and consented to by the installer. `reason` is logged with the outcome.
   * @throws JOVIAN_E_RELOAD_REFUSED for legacy plugins and plugins without a manifest
   */
  replace(record: PluginRecord, reason: string): Promise<ReloadResult> {
    if (record.kind !== 'manifest' || !record.manifest)
      throw new JovianError(
        'JOVIAN_E_RELOAD_REFUSED',
        `plugin \`${record.id}\` cannot take a new version while running: it has no manifest`,
        { hint: 'restart the host to load it' },
      );
    const previous = this.#inFlight.get(record.id) ?? Promise.resolve(undefined);
    const replace = previous
      .catch(() => undefined)
      .then(() => this.#reload(record, record.manifest!))
      .then((result) => {
        this.#host.log(
          record,
          result.ok ? 'info' : 'warn',
          `${reason}: ${result.from} → ${result.to ?? '?'}`,
        );
        return result;
      })
      .finally(() => this.#inFlight.delete(record.id));
    this.#inFlight.set(record.id, replace);
    return replace;
  }

  async #reload(record: PluginRecord, current: Manifest): Promise<ReloadResult> {
    const previous: Version = {
      manifest: current,
      declaredRuntime: record.declaredRuntime,
      diagnostics: record.diagnostics,
      code: record.code,
    };
    const wasActive = ACTIVE.has(record.state);
    const base = { id: record.id, from: current.version, wasActive };
    let next: Version | undefined;
    try {
      next = this.#read(record);
      await this.#host.checkCode(record, next.manifest);
    } catch (error) {
      // Nothing was touched: the running version keeps serving.
      return this.#failed(record, base, next?.manifest.version, error, wasActive);
    }
    const to = next.manifest.version;
    const stop = this.#host.reloadHooks.stop;
    if (wasActive && stop) await this.#lifecycle(record, stop);
    if (wasActive) await this.#host.deactivate(record, `reloading (version ${to})`);
    this.#put(record, next);
    if (record.state === 'error') await this.#host.recover(record, 'reloaded');
    if (wasActive) {
      try {
        await this.#host.activate(record, 'reload');
        const start = this.#host.reloadHooks.start;
        if (start) await this.#host.callOwnTap(record, start);
      } catch (error) {
        return this.#rollBack(record, previous, { ...base, to }, error);
      }
    }
    record.lastReload = { at: new Date().toISOString(), ok: true };
    this.#host.log(
      record,
      'info',
      `reloaded: version ${current.version} → ${to}${wasActive ? '' : ' (loads on its next activation)'}`,
    );
    this.#host.audit(record, 'allow', `reloaded ${current.version} → ${to}`);
    this.#host.announce('plugin.reloaded', { id: record.id, from: current.version, to, wasActive });
    return { ...base, ok: true, to };
  }

  /** The plugin as it is on disk now, placed by the isolation policy. @throws JOVIAN_E_RELOAD_FAILED */
  #read(record: PluginRecord): Version {
    const layout = record.file.endsWith('.lua') ? 'file' : 'folder';
    const found = rereadPlugin({ dir: record.dir, file: record.file, layout }, this.#host.reservedIds);
    if (!found?.manifest) {
      const problem = found?.diagnostics.find((d) => d.severity === 'error');
      throw new JovianError(
        'JOVIAN_E_RELOAD_FAILED',
        problem
          ? `${where(problem)}${problem.message} [${problem.code}]`
          : `plugin \`${record.id}\` is no longer at ${record.file}`,
        { hint: problem?.hint ?? 'put the plugin back, or restart the host to forget it' },
      );
    }
    if (found.manifest.id !== record.id) {
      throw new JovianError(
        'JOVIAN_E_RELOAD_FAILED',
        `${record.file}: the id changed from \`${record.id}\` to \`${found.manifest.id}\`; a new id is a new plugin`,
        { hint: 'put the id back, or restart the host to load it as a new plugin' },
      );
    }
    const placed = this.#host.place(record, found.manifest);
    const refused = placed.diagnostics.find((d) => d.severity === 'error');
    if (refused) throw new JovianError('JOVIAN_E_RELOAD_FAILED', refused.message, { hint: refused.hint });
    return {
      manifest: placed.manifest,
      declaredRuntime: placed.declaredRuntime,
      diagnostics: [...found.diagnostics, ...placed.diagnostics],
      // A fresh module URL; no source: the runtime reads the file as it is now.
      code: { cacheBust: `reload-${++this.#generation}` },
    };
  }

  #put(record: PluginRecord, version: Version): void {
    record.manifest = version.manifest;
    record.declaredRuntime = version.declaredRuntime;
    record.diagnostics = version.diagnostics;
    record.code = version.code;
    record.identity = {
      id: version.manifest.id,
      name: version.manifest.name,
      version: version.manifest.version,
      type: version.manifest.type,
    };
    this.#host.redeclare(record);
  }

  /** The new version failed to load or start: unload it and run the previous version again. */
  async #rollBack(
    record: PluginRecord,
    previous: Version,
    base: { id: string; from: string; to: string; wasActive: boolean },
    error: unknown,
  ): Promise<ReloadResult> {
    if (ACTIVE.has(record.state)) await this.#host.deactivate(record, 'reload failed');
    this.#host.forgetFailures(record);
    this.#put(record, previous);
    if (record.state === 'error')
      await this.#host.recover(record, 'reload failed: back to the previous version');
    let rolledBack = false;
    if (previous.code?.source !== undefined || record.manifest?.runtime === 'inprocess') {
      try {
        await this.#host.activate(record, 'reload rolled back');
        const start = this.#host.reloadHooks.start;
        if (start) await this.#lifecycle(record, start);
        rolledBack = true;
      } catch (again) {
        this.#host.log(
          record,
          'error',
          `the previous version did not start again either: ${(again as Error).message}`,
        );
      }
    }
    return this.#failed(record, base, base.to, error, rolledBack);
  }

  async #failed(
    record: PluginRecord,
    base: { id: string; from: string; wasActive: boolean },
    to: string | undefined,
    raw: unknown,
    rolledBack: boolean,
  ): Promise<ReloadResult> {
    const error =
      raw instanceof JovianError && raw.code === 'JOVIAN_E_RELOAD_FAILED'
        ? raw
        : new JovianError('JOVIAN_E_RELOAD_FAILED', `${(raw as Error)?.message ?? String(raw)}`, {
            hint: 'fix the error, save, and reload again',
            cause: raw,
          });
    const kept = rolledBack
      ? `version ${base.from} keeps serving`
      : base.wasActive
        ? `version ${base.from} could not be run again from memory (runtime \`${record.manifest?.runtime}\`); the plugin is ${record.state}`
        : `version ${base.from} stays registered`;
    const dump = await writeCrashDump(this.#host.dataDir, record, {
      code: null,
      signal: null,
      reason: `reload${to ? ` to version ${to}` : ''} failed: ${error.message}`,
      error,
      output: [],
    }).catch(() => undefined);
    record.lastReload = { at: new Date().toISOString(), ok: false, error: error.message };
    this.#host.log(
      record,
      'error',
      `reload failed: ${error.message}; ${kept}${dump ? `; crash dump: ${dump}` : ''}`,
    );
    this.#host.audit(record, 'deny', `reload failed: ${error.message}`);
    const data = errorToData(error);
    this.#host.announce('plugin.reload_failed', {
      id: record.id,
      from: base.from,
      to,
      error: data,
      rolledBack,
      crashDump: dump,
    });
    return { ...base, ok: false, to, rolledBack, error: data, ...(dump ? { crashDump: dump } : {}) };
  }

  async #lifecycle(record: PluginRecord, hook: string): Promise<void> {
    try {
      await this.#host.callOwnTap(record, hook);
    } catch (error) {
      this.#host.log(record, 'warn', `${hook} failed during reload: ${(error as Error).message}`);
    }
  }
}

function where(problem: Diagnostic): string {
  const at = problem.where;
  return at ? `${at.file}:${at.line}:${at.column}: ` : '';
}
