import { errorToData, JovianError } from '../errors.js';
import type { ErrorData, Manifest, RuntimeKind } from '../types.js';
import type { StartedBeside } from './activate-beside.js';
import { writeCrashDump } from './crash-dump.js';
import type { PluginCode, PluginRecord } from './plugin-record.js';
import { type PluginVersion, readVersion, type VersionSource } from './read-version.js';

/** What hot reload needs from the host: a deliberately small interface. */
export interface ReloadHost extends VersionSource {
  readonly dataDir: string;
  readonly developerMode: boolean;
  readonly reloadHooks: { readonly stop: string | null; readonly start: string | null };
  /**
   * Checks the new code without running it: a Lua plugin's syntax, a signed plugin's signature (the
   * reload keeps its trust). @throws JOVIAN_E_RELOAD_FAILED
   */
  checkCode(record: PluginRecord, manifest: Manifest): Promise<void>;
  activate(record: PluginRecord, event: string): Promise<void>;
  /** Loads and activates a new version beside the running one. @throws the activation failure */
  startBeside(record: PluginRecord, manifest: Manifest, code: PluginCode): Promise<StartedBeside>;
  /** Makes a version started beside the (now stopped) previous one the one that serves. */
  adopt(record: PluginRecord, next: StartedBeside, event: string): void;
  /** Stops a version started beside that will not serve. */
  discard(next: StartedBeside): Promise<void>;
  /** Keeps the plugin's config store as it is; the function returned puts it back. */
  keepConfig(record: PluginRecord): () => void;
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

const ACTIVE = new Set(['ready', 'suspended']);

/**
 * Runtimes that load a plugin's code from disk into a thread or process of its own: the previous
 * version cannot be run again from memory, so the new one is started beside it, and the previous one
 * stops only once the new one has activated.
 */
const STARTS_BESIDE = new Set<RuntimeKind>(['worker', 'process']);

/**
 * Hot reload (developer mode): reads the plugin again from disk, then swaps versions in one of two ways.
 * - `inprocess` and `lua`: calls the old version's stop hook, unloads it, loads the new version and
 *   calls its start hook. If the new version cannot be loaded or started, the previous one runs again
 *   from memory (its module, its Lua source).
 * - `worker` and `process`: the new version starts in a new thread or process beside the running one,
 *   which stops only once the new one has activated; a new version that fails never replaced it.
 * A failure writes a crash dump and emits `plugin.reload_failed`; a success emits `plugin.reloaded`.
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
    const previous: PluginVersion = {
      manifest: current,
      declaredRuntime: record.declaredRuntime,
      diagnostics: record.diagnostics,
      code: record.code,
    };
    const wasActive = ACTIVE.has(record.state);
    const base = { id: record.id, from: current.version, wasActive };
    let next: PluginVersion | undefined;
    try {
      next = readVersion(this.#host, record, `reload-${++this.#generation}`);
      await this.#host.checkCode(record, next.manifest);
    } catch (error) {
      // Nothing was touched: the running version keeps serving.
      return this.#failed(record, base, next?.manifest.version, error, wasActive);
    }
    const to = next.manifest.version;
    if (wasActive && STARTS_BESIDE.has(current.runtime) && STARTS_BESIDE.has(next.manifest.runtime))
      return this.#reloadBeside(record, next, { ...base, to });
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
    return this.#succeeded(record, { ...base, to });
  }

  /**
   * A `worker` or `process` plugin: the new version is loaded and activated in a new thread or
   * process while the previous one keeps serving. If it fails, it is stopped and nothing else
   * changed. Otherwise the previous version gets its stop hook and stops, the new manifest is put in
   * place, the new version's taps, listeners and handlers are connected, and its start hook runs.
   */
  async #reloadBeside(record: PluginRecord, next: PluginVersion, base: Reloading): Promise<ReloadResult> {
    let started: StartedBeside;
    const restoreConfig = this.#host.keepConfig(record);
    try {
      started = await this.#host.startBeside(record, next.manifest, next.code ?? {});
    } catch (error) {
      // The previous version reads its config as before, not through the new version's schema.
      restoreConfig();
      return this.#failed(record, base, base.to, error, true);
    }
    try {
      const stop = this.#host.reloadHooks.stop;
      if (stop) await this.#lifecycle(record, stop);
      await this.#host.deactivate(record, `reloading (version ${base.to})`);
      this.#put(record, next);
      this.#host.adopt(record, started, 'reload');
    } catch (error) {
      await this.#host.discard(started);
      return this.#failed(record, base, base.to, error, false);
    }
    // The previous version is gone: a start hook that fails is reported, the new version serves.
    const start = this.#host.reloadHooks.start;
    if (start) await this.#lifecycle(record, start);
    return this.#succeeded(record, base);
  }

  #succeeded(record: PluginRecord, base: Reloading): ReloadResult {
    record.lastReload = { at: new Date().toISOString(), ok: true };
    this.#host.log(
      record,
      'info',
      `reloaded: version ${base.from} → ${base.to}${base.wasActive ? '' : ' (loads on its next activation)'}`,
    );
    this.#host.audit(record, 'allow', `reloaded ${base.from} → ${base.to}`);
    this.#host.announce('plugin.reloaded', {
      id: record.id,
      from: base.from,
      to: base.to,
      wasActive: base.wasActive,
    });
    return { ...base, ok: true };
  }

  #put(record: PluginRecord, version: PluginVersion): void {
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
    previous: PluginVersion,
    base: Reloading,
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

/** A reload under way: the plugin, the version that served, the version read from disk. */
interface Reloading {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly wasActive: boolean;
}
