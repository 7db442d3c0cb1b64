import { basename, join } from 'node:path';
import { ContributionRegistry, type DeclaredContribution } from '../bridge/index.js';
import {
  DEFAULT_METRICS_INTERVAL_MS,
  dataDirLayout,
  type GlobalConfig,
  isPluginEnabled,
  loadGlobalConfig,
  loadProjectConfig,
  type ProjectConfig,
  setPluginEnabled,
} from '../config/index.js';
import { errorToDiagnostic, JovianError } from '../errors.js';
import { EventBus } from '../events/index.js';
import { type GraphInput, type GraphProblem, resolveGraph } from '../graph/index.js';
import type { HookMap } from '../hooks/index.js';
import { AuditLog, HostMetrics, LogHub } from '../observability/index.js';
import type { CommandInvocation, RouteRequest } from '../runtimes/index.js';
import type { IsolationPolicy, TrustLevel } from '../security/index.js';
import type { Diagnostic, PluginState } from '../types.js';
import { Activator } from './activator.js';
import { buildRegistry } from './build-registry.js';
import { corePlugins } from './core-plugins.js';
import type { HealthCheck, HealthSettings } from './health-check.js';
import { HostJobs } from './host-jobs.js';
import { HostLock } from './host-lock.js';
import type { HostConfig } from './host-options.js';
import { HostPlugins } from './host-plugins.js';
import { isolationPolicy } from './isolation.js';
import { PluginMetricsCollector } from './plugin-metrics-collector.js';
import type { PluginRecord } from './plugin-record.js';
import { PluginReloader, type ReloadResult } from './plugin-reload.js';
import { judgeTrust, type TrustSettings, trustSettings } from './plugin-trust.js';
import { type PluginWatch, type WatchOptions, watchPlugins } from './plugin-watcher.js';
import { reloadHostFor } from './reload-host.js';
import { graphInputOf, mustStop, PLACEMENT_ERRORS, planTargets, type TargetState } from './resolution.js';
import { assertTransition } from './state-machine.js';
import { JOVIAN_VERSION } from './version.js';

type Phase = 'new' | 'loaded' | 'starting' | 'started' | 'stopping' | 'stopped';

/** The result of enable / disable. */
export interface EnableResult {
  readonly id: string;
  /** The effective enabled flag after the change. */
  readonly enabled: boolean;
  readonly state: PluginState;
  /** The file that was written. */
  readonly file: string;
  /** Set when the project file still overrides the value written to the global file. */
  readonly overriddenBy?: string | undefined;
}

/**
 * The plugin host: registry, lifecycle and the doors through which the application reaches plugins.
 * Phases: discover → resolve (`load()`, no plugin code) → initialize core then system plugins →
 * register tools → ready (`start()`). Every state change is a `plugin.state` event.
 */
export class PluginHost<H extends HookMap = HookMap> {
  readonly config: HostConfig<H>;
  readonly hooks: H;
  readonly events = new EventBus();
  readonly logs: LogHub;
  readonly audit: AuditLog;
  /** The host's measurements (served by `jovian serve` at /metrics); `metrics.jobs` is for the jobs system. */
  readonly metrics = new HostMetrics(JOVIAN_VERSION);
  readonly contributions: ContributionRegistry;
  /** Jobs of every plugin: submit, list, cancel (docs/plugin-authoring.md, "Jobs"). */
  readonly jobs: HostJobs;
  /** jovian.lock: checked at load when it exists; written by `plugins lock` (docs/packaging.md#lockfile). */
  readonly lock: HostLock;
  readonly #records = new Map<string, PluginRecord>();
  readonly #activator: Activator;
  readonly #plugins: HostPlugins<H>;
  #order: readonly string[] = [];
  #graphInput: GraphInput = { hostVersion: '0.0.0', nodes: [] };
  #graphProblems: readonly GraphProblem[] = [];
  #hostDiagnostics: Diagnostic[] = [];
  #global: GlobalConfig | undefined;
  #project: ProjectConfig | undefined;
  #configError: JovianError | undefined;
  #phase: Phase = 'new';
  #loading: Promise<void> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #policy: IsolationPolicy | undefined;
  #trust: TrustSettings | undefined;
  #reloader: PluginReloader | undefined;
  readonly #collector: PluginMetricsCollector;

  constructor(config: HostConfig<H>) {
    this.config = config;
    this.hooks = config.hooks;
    const layout = dataDirLayout(config.dataDir);
    this.logs = new LogHub({
      file: join(layout.logsDir, 'jovian.log'),
      pluginDir: layout.pluginLogsDir,
      developerMode: config.developerMode ?? false,
    });
    this.audit = new AuditLog(layout.auditDb);
    this.contributions = new ContributionRegistry({ reservedCommands: config.reservedCommands });
    this.#plugins = new HostPlugins(this, this.#records);
    this.lock = new HostLock(config.lockFile, config.updateLock, this);
    this.#activator = new Activator(this.#plugins);
    this.#plugins.bind(this.#activator);
    this.jobs = new HostJobs({
      dataDir: config.dataDir,
      settings: () => this.#global?.jobs,
      require: (id) => this.require(id),
      requireStarted: () => this.requireStarted(),
      activate: (record, event) => this.#activator.activate(record, event),
      refusal: (record) => this.#plugins.refusal(record),
      used: (record) => void this.#plugins.healthOf(record).uses++,
      succeeded: (record) => this.#plugins.recovery.succeeded(record),
      failed: (record) => this.#plugins.recovery.failed(record),
      publish: (topic, payload) => this.events.emit(topic, payload, { source: 'host' }),
      metrics: this.metrics.jobs,
      log: (plugin, level, message) => this.logs.write(plugin, level, message),
    });
    // Every log line is also an event, for live views; nothing is built when nobody listens.
    this.logs.onLine((line) => {
      if (this.events.hasSubscribers('plugin.log')) this.events.emit('plugin.log', line, { source: 'host' });
    });
    for (const hook of Object.values(this.hooks)) {
      hook.onTapFailure((failure) =>
        this.#plugins.charge(failure.owner, failure.error, `hook \`${failure.hook}\``),
      );
    }
    this.#collector = new PluginMetricsCollector({
      metrics: this.metrics,
      records: () => this.records(),
      readMetrics: (record) => this.#plugins.calls.readMetrics(record),
      log: (record, message) => this.logs.write(record.id, 'warn', message),
    });
    this.metrics.readFrom(() => ({
      plugins: this.records()
        .filter((r) => r.category !== 'core')
        .map((r) => ({
          id: r.id,
          state: r.state,
          failures: r.failures,
          breakerOpen: r.health?.breaker.state(Date.now()) === 'open',
        })),
      events: this.events.counts,
    }));
    this.events.onFailure((failure) =>
      this.#plugins.charge(failure.owner, failure.error, `event \`${failure.topic}\``),
    );
  }

  get phase(): Phase {
    return this.#phase;
  }

  get developerMode(): boolean {
    return this.config.developerMode ?? this.#global?.developer_mode ?? false;
  }

  /** The registry in load order: core, then system, then tool plugins (dependencies first). */
  records(): PluginRecord[] {
    const ordered = this.#order
      .map((id) => this.#records.get(id))
      .filter((r): r is PluginRecord => r !== undefined);
    if (ordered.length === this.#records.size) return ordered;
    const placed = new Set(ordered);
    for (const record of this.#records.values()) if (!placed.has(record)) ordered.push(record);
    return ordered;
  }

  record(id: string): PluginRecord | undefined {
    return this.#records.get(id);
  }

  /** @throws JOVIAN_E_PLUGIN_NOT_FOUND */
  require(id: string): PluginRecord {
    const record = this.#records.get(id);
    if (!record) {
      throw new JovianError(
        'JOVIAN_E_PLUGIN_NOT_FOUND',
        `no plugin \`${id}\` in ${this.config.pluginDirs.join(', ')}`,
      );
    }
    return record;
  }

  get graphInput(): GraphInput {
    return this.#graphInput;
  }

  get graphProblems(): readonly GraphProblem[] {
    return this.#graphProblems;
  }

  /** Problems outside single manifests: config files, plugin directories, duplicate ids. */
  get hostDiagnostics(): readonly Diagnostic[] {
    return this.#hostDiagnostics;
  }

  /** Discovers and resolves plugins. Reads manifests and config files only (and legacy modules). */
  load(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async #load(): Promise<void> {
    await this.#readConfigFiles();
    this.#policy = isolationPolicy(this.config.isolation, this.#global?.security.isolation);
    this.#trust = trustSettings(this.config.trustStore, this.#global?.security);
    const { records, diagnostics } = await buildRegistry(
      this.config,
      corePlugins(this.#plugins.coreView()),
      this.#policy,
      this.#trust,
    );
    for (const record of records) this.#records.set(record.id, record);
    this.#hostDiagnostics.push(...diagnostics);
    this.#hostDiagnostics.push(...(await this.lock.check()));
    await this.#resolve();
    this.#phase = 'loaded';
  }

  async #readConfigFiles(): Promise<void> {
    const layout = dataDirLayout(this.config.dataDir);
    this.#configError = undefined;
    this.#hostDiagnostics = this.#hostDiagnostics.filter(
      (d) => !d.code.startsWith('JOVIAN_E_CONFIG') && !d.code.startsWith('JOVIAN_E_YAML'),
    );
    try {
      this.#global = await loadGlobalConfig(layout.globalConfig);
      this.#project = this.config.projectFile ? await loadProjectConfig(this.config.projectFile) : undefined;
      this.logs.configure({
        level: this.#global.log_level,
        developerMode: this.developerMode,
        rotation: { maxBytes: this.#global.logs.max_file_bytes, keep: this.#global.logs.files_kept },
      });
    } catch (error) {
      this.#configError =
        error instanceof JovianError
          ? error
          : new JovianError('JOVIAN_E_UNEXPECTED', String(error), { cause: error });
      this.#hostDiagnostics.push(errorToDiagnostic(error));
    }
  }

  /** The project file's settings, if a project file is in use. */
  projectOverrides(): ProjectConfig | undefined {
    return this.#project;
  }

  isEnabled(id: string): boolean {
    const record = this.#records.get(id);
    if (record?.category === 'core') return true;
    if (!this.#global) return true;
    return isPluginEnabled(this.#global, this.#project, id);
  }

  /** Re-runs dependency resolution and applies it: stops what can no longer run (dependents first), then brings up what can. */
  async #resolve(): Promise<void> {
    this.#graphInput = graphInputOf(this.#records.values(), this.config.hostVersion, (id) =>
      this.isEnabled(id),
    );
    const graph = resolveGraph(this.#graphInput);
    this.#order = graph.order;
    this.#graphProblems = graph.problems;
    const targets = planTargets(this.#records, graph);
    for (const target of [...targets].reverse()) {
      if (target.state === 'resolved') continue;
      if (mustStop(target.record.state, target.state))
        await this.#activator.deactivate(target.record, target.reason ?? target.state);
      this.#settle(target);
    }
    for (const target of targets) {
      const record = target.record;
      if (target.state !== 'resolved' || !['discovered', 'blocked', 'disabled'].includes(record.state))
        continue;
      this.transition(record, 'resolved', target.reason);
      if (record.category === 'core') continue;
      record.addDiagnostics(this.contributions.declare(record.manifest!));
      if (this.#phase === 'started') {
        this.#plugins.installSlots(record);
        await this.#plugins.startIfEager(record);
      }
    }
  }

  #settle(target: TargetState): void {
    const record = target.record;
    if (record.state !== target.state) this.transition(record, target.state, target.reason, target.code);
    record.reason = target.reason;
    record.reasonCode = target.code;
    this.#plugins.uninstallSlots(record);
    if (target.state === 'disabled') this.contributions.undeclare(record.id);
    else this.contributions.unbindAll(record.id);
  }

  /** Runs `work` after every earlier registry change has finished (changes never interleave). */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every registry change scheduled so far (cascades included) has been applied. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.#queue;
      await seen;
    } while (seen !== this.#queue);
  }

  /** Schedules a re-resolution (after a failure): dependents of failed plugins become blocked. */
  scheduleResolve(): Promise<void> {
    return this.serial(() => this.#resolve());
  }

  /** Moves `record` to `to`, checking the state machine, and publishes `plugin.state`. */
  transition(record: PluginRecord, to: PluginState, reason?: string, code?: string): void {
    assertTransition(record.id, record.state, to);
    const from = record.state;
    record.state = to;
    record.since = Date.now();
    this.jobs.stateChanged(record, from, to, reason);
    if (to === 'blocked' || to === 'disabled' || to === 'error' || to === 'suspended') {
      record.reason = reason;
      record.reasonCode = code;
    } else if (to === 'resolved' || to === 'ready' || to === 'loading') {
      record.reason = undefined;
      record.reasonCode = undefined;
    }
    if (!this.events.hasSubscribers('plugin.state')) return;
    this.events.emit(
      'plugin.state',
      { id: record.id, from, to, at: new Date(record.since).toISOString(), reason },
      { source: 'host' },
    );
  }

  /**
   * Starts the host: core plugins, then system plugins (in dependency order), then tools; plugins
   * start now only when an activation event says so (`onStartup`) — the others wait for theirs.
   * @throws the config error when jovian.yaml or the project file is invalid (nothing is started).
   */
  async start(): Promise<void> {
    await this.load();
    if (this.#phase === 'started' || this.#phase === 'starting') return;
    if (this.#configError) throw this.#configError;
    if (this.lock.error) throw this.lock.error;
    this.#phase = 'starting';
    for (const record of this.records().filter((r) => r.category === 'core'))
      await this.#activator.activate(record, 'onStartup');
    for (const record of this.records().filter((r) => r.category === 'system' && r.state === 'resolved')) {
      this.#plugins.installSlots(record);
      await this.#plugins.startIfEager(record);
    }
    const tools = this.records().filter((r) => r.category === 'tool' && r.state === 'resolved');
    for (const record of tools) this.#plugins.installSlots(record);
    for (const record of tools) await this.#plugins.startIfEager(record);
    await this.idle();
    this.#phase = 'started';
    this.#plugins.recovery.watchIdle();
    this.#plugins.healthMonitor.start();
    this.#collector.start(this.#global?.metrics.interval_ms ?? DEFAULT_METRICS_INTERVAL_MS);
    this.events.emit('host.ready', { plugins: this.#plugins.coreView().countByState() }, { source: 'host' });
  }

  /** Stops every active plugin, dependents first, and flushes logs, events and the audit. */
  async stop(): Promise<void> {
    if (this.#phase !== 'started' && this.#phase !== 'starting') {
      this.jobs.close();
      await this.flush();
      return;
    }
    this.#phase = 'stopping';
    this.jobs.close();
    this.#plugins.recovery.stop();
    this.#plugins.healthMonitor.stop();
    this.#collector.stop();
    await this.idle();
    this.events.emit('host.stopping', {}, { source: 'host' });
    for (const record of [...this.records()].reverse()) {
      await this.#activator.deactivate(record, 'host stopping');
      this.#plugins.uninstallSlots(record);
    }
    this.#phase = 'stopped';
    await this.flush();
    this.audit.close();
    this.logs.close();
  }

  async flush(): Promise<void> {
    await this.#plugins.settled();
    await this.events.flush();
    await Promise.all([this.logs.flush(), this.audit.flush()]);
  }

  requireStarted(): void {
    if (this.#phase !== 'started' && this.#phase !== 'starting') {
      throw new JovianError('JOVIAN_E_HOST_NOT_STARTED', `the host is ${this.#phase}; call start() first`);
    }
  }

  /** Activates a plugin explicitly (as if `event` fired for it). */
  async activate(id: string, event = 'explicit'): Promise<void> {
    this.requireStarted();
    await this.#activator.activate(this.require(id), event);
  }

  /**
   * Runs an active plugin's health() once now and returns the result (undefined when it is not active
   * or has no health()). A failing answer counts towards the failure threshold as a periodic one does.
   */
  async checkHealth(id: string): Promise<HealthCheck | undefined> {
    const record = this.require(id);
    await this.#plugins.healthMonitor.check(record);
    return record.state === 'ready' ? record.check : undefined;
  }

  /** Stops an active plugin; it stays activatable (state `stopped`). */
  async deactivate(id: string): Promise<boolean> {
    const record = this.require(id);
    if (record.category === 'core')
      throw new JovianError('JOVIAN_E_CORE_PLUGIN_LOCKED', `\`${id}\` is a core plugin`);
    return this.serial(() => this.#activator.deactivate(record, 'deactivated'));
  }

  /**
   * Stops delivering calls, hook calls and events to an active plugin; it keeps its state and resumes
   * with resume(). Resolves to false when the plugin was not ready.
   */
  async suspend(id: string, reason = 'suspended by the operator'): Promise<boolean> {
    const record = this.#unlocked(id, 'suspended');
    return this.serial(async () => {
      if (!this.#plugins.suspend(record, reason)) return false;
      this.#plugins.healthOf(record).suspendedBy = 'operator';
      this.#plugins.recovery.cancel(record);
      this.audit.record({ plugin: id, action: 'plugin.suspend', target: id, decision: 'allow', reason });
      return true;
    });
  }

  /** Resumes a suspended plugin (also one its circuit breaker suspended). */
  async resume(id: string): Promise<boolean> {
    const record = this.#unlocked(id, 'resumed');
    return this.serial(async () => {
      this.#plugins.recovery.cancel(record);
      const resumed = this.#plugins.resume(record, 'resumed by the operator');
      if (resumed)
        this.audit.record({
          plugin: id,
          action: 'plugin.resume',
          target: id,
          decision: 'allow',
          reason: 'requested by the operator',
        });
      return resumed;
    });
  }

  /**
   * Restarts a plugin now: stops it if it runs, takes it out of `error` (its breaker and restart count
   * start afresh) and activates it.
   * @throws the activation failure
   */
  async restart(id: string): Promise<void> {
    this.requireStarted();
    const record = this.#unlocked(id, 'restarted');
    this.#plugins.recovery.cancel(record);
    record.health = undefined;
    await this.serial(() => this.#activator.deactivate(record, 'restarting'));
    this.audit.record({
      plugin: id,
      action: 'plugin.restart',
      target: id,
      decision: 'allow',
      reason: 'requested by the operator',
    });
    await this.recover(record, 'restarted by the operator', false);
    await this.#activator.activate(record, 'restart');
  }

  /** The hot-reload machinery, made on first use (installs use it too). */
  #reloaderOf(): PluginReloader {
    this.#reloader ??= new PluginReloader(
      reloadHostFor(this, {
        activator: this.#activator,
        plugins: this.#plugins,
        policy: () => this.#policy!,
        trust: () => this.#trust!,
      }),
    );
    return this.#reloader;
  }

  /**
   * Hot reload (developer mode): reads the plugin again from disk and, if it was running, stops it
   * (after its `on_shutdown` tap) and starts the new version (then its `on_startup` tap). A version
   * that cannot be read, loaded or started is reported (`plugin.reload_failed`, crash dump) and the
   * previous one serves again where its code can be run from memory (Lua, in-process).
   * @throws JOVIAN_E_RELOAD_REFUSED outside developer mode; JOVIAN_E_CORE_PLUGIN_LOCKED
   */
  async reload(id: string): Promise<ReloadResult> {
    this.requireStarted();
    const record = this.#unlocked(id, 'reloaded');
    return this.#reloaderOf().reload(record);
  }

  /**
   * Watches the plugins directories and reloads a plugin when its files change (developer mode).
   * @throws JOVIAN_E_RELOAD_REFUSED outside developer mode
   */
  async watch(options: WatchOptions = {}): Promise<PluginWatch> {
    this.requireStarted();
    if (!this.developerMode)
      throw new JovianError(
        'JOVIAN_E_RELOAD_REFUSED',
        'plugins are watched for changes in developer mode only',
        {
          hint: 'set `developer_mode: true` in jovian.yaml or pass --dev',
        },
      );
    return watchPlugins(this, options);
  }

  /**
   * Adds a plugin that appeared in a plugins directory while the host runs (an install): reads its
   * manifest, places it, resolves the graph again and declares its contributions; the other plugins
   * keep running. Returns the record already known under `id`, unchanged.
   * @throws JOVIAN_E_PLUGIN_NOT_FOUND when no plugins directory holds it
   */
  async adopt(id: string): Promise<PluginRecord> {
    await this.load();
    return this.serial(async () => {
      const known = this.#records.get(id);
      if (known) return known;
      // The installer's folder counts even when it did not exist yet when the host started.
      const installed = join(this.config.dataDir, 'plugins');
      const pluginDirs = [...new Set([...this.config.pluginDirs, installed])];
      const { records } = await buildRegistry(
        { ...this.config, pluginDirs },
        [],
        this.#policy!,
        this.#trust!,
        new Set([id]),
      );
      const record = records[0];
      if (!record)
        throw new JovianError(
          'JOVIAN_E_PLUGIN_NOT_FOUND',
          `no plugin \`${id}\` in ${this.config.pluginDirs.join(', ')}`,
          { hint: 'install it again; its folder may have been removed meanwhile' },
        );
      this.#records.set(id, record);
      await this.#resolve();
      return record;
    });
  }

  /**
   * The trust level the plugin's files on disk have now, judged as at load (its signature verified
   * against the trust store). An installer compares it with the running version's: a version whose
   * trust differs is adopted afresh rather than replaced, since the trust sets where it may run.
   */
  async trustOnDisk(id: string): Promise<TrustLevel> {
    const record = this.require(id);
    if (record.kind === 'core') return record.trust;
    const verdict = await judgeTrust(
      {
        id,
        dir: record.dir,
        file: record.file,
        layout: basename(record.file) === 'plugin.yaml' ? 'folder' : 'file',
        kind: record.kind,
      },
      this.#trust!,
    );
    return verdict.trust;
  }

  /**
   * Runs the version now on disk for a plugin the installer switched (update, rollback): stops the
   * running version and starts the new one, as a hot reload does, outside developer mode too.
   * @throws JOVIAN_E_CORE_PLUGIN_LOCKED; JOVIAN_E_RELOAD_REFUSED for a plugin without a manifest
   */
  async replace(id: string, reason: string): Promise<ReloadResult> {
    this.requireStarted();
    const record = this.#unlocked(id, 'replaced');
    return this.#reloaderOf().replace(record, reason);
  }

  /**
   * Drops a plugin whose folder was removed (an uninstall): stops it, removes its contributions and
   * its record, and resolves the graph again (plugins requiring it become blocked). Emits
   * `plugin.uninstalled`. False when no plugin has that id.
   */
  async forget(id: string): Promise<boolean> {
    const record = this.#records.get(id);
    if (!record) return false;
    if (record.category === 'core')
      throw new JovianError(
        'JOVIAN_E_CORE_PLUGIN_LOCKED',
        `\`${id}\` is a core plugin and cannot be removed`,
      );
    return this.serial(async () => {
      await this.#activator.deactivate(record, 'uninstalled');
      this.#plugins.recovery.cancel(record);
      this.#plugins.uninstallSlots(record);
      this.contributions.undeclare(id);
      this.#records.delete(id);
      await this.#resolve();
      const version = record.manifest?.version ?? record.identity.version ?? null;
      this.events.emit('plugin.uninstalled', { id, version }, { source: 'host' });
      return true;
    });
  }

  /** Takes a plugin out of `error`: back to `resolved`, its dependents unblocked; activates it if asked. */
  async recover(record: PluginRecord, reason: string, activate: boolean): Promise<void> {
    const recovered = await this.serial(async () => {
      if (record.state !== 'error' || !record.manifest || this.#phase !== 'started') return false;
      if (record.diagnostics.some((d) => d.severity === 'error' && PLACEMENT_ERRORS.has(d.code)))
        return false;
      this.transition(record, 'resolved', reason);
      this.#plugins.installSlots(record);
      await this.#resolve();
      return true;
    });
    if (recovered && activate) await this.#activator.activate(record, 'restart').catch(() => undefined);
  }

  /** Stops an idle plugin; its next activation event loads it again. */
  async hibernate(record: PluginRecord, reason: string): Promise<void> {
    await this.serial(() => this.#activator.deactivate(record, reason));
  }

  /** Stops an active plugin after every earlier registry change; false when it was not active. */
  stopActive(record: PluginRecord, reason: string): Promise<boolean> {
    return this.serial(() => this.#activator.deactivate(record, reason));
  }

  /** Health-check settings: the host's options, overridden key by key by jovian.yaml's `health`. */
  healthSettings(): HealthSettings {
    const own = this.config.health;
    const file = this.#global?.health;
    return {
      intervalMs: file?.interval_ms ?? own.intervalMs,
      timeoutMs: file?.timeout_ms ?? own.timeoutMs,
      failureThreshold: file?.failure_threshold ?? own.failureThreshold,
    };
  }

  #unlocked(id: string, verb: string): PluginRecord {
    const record = this.require(id);
    if (record.category === 'core')
      throw new JovianError(
        'JOVIAN_E_CORE_PLUGIN_LOCKED',
        `\`${id}\` is a core plugin and cannot be ${verb}`,
      );
    return record;
  }

  /** Activates every plugin that lists `event` among its activation events. */
  async fire(event: string): Promise<void> {
    this.requireStarted();
    const waiting = this.records().filter(
      (r) => r.manifest?.activation.includes(event) && (r.state === 'resolved' || r.state === 'stopped'),
    );
    await Promise.allSettled(waiting.map((r) => this.#activator.activate(r, event)));
  }

  enable(id: string, options: { projectFile?: string } = {}): Promise<EnableResult> {
    return this.#setEnabled(id, true, options);
  }

  disable(id: string, options: { projectFile?: string } = {}): Promise<EnableResult> {
    return this.#setEnabled(id, false, options);
  }

  async #setEnabled(id: string, enabled: boolean, options: { projectFile?: string }): Promise<EnableResult> {
    await this.load();
    const record = this.require(id);
    if (record.category === 'core') {
      throw new JovianError(
        'JOVIAN_E_CORE_PLUGIN_LOCKED',
        `\`${id}\` is a core plugin and cannot be ${enabled ? 'enabled' : 'disabled'}`,
      );
    }
    if (this.#configError) throw this.#configError;
    const file = options.projectFile ?? dataDirLayout(this.config.dataDir).globalConfig;
    return this.serial(async () => {
      const lock = await this.lock.read();
      await setPluginEnabled(file, id, enabled);
      this.audit.record({
        plugin: id,
        action: enabled ? 'plugin.enable' : 'plugin.disable',
        target: file,
        decision: 'allow',
        reason: 'requested by the operator',
      });
      await this.#readConfigFiles();
      const effective = this.isEnabled(id);
      await this.lock.setEnabled(lock, id, effective);
      await this.#resolve();
      return {
        id,
        enabled: effective,
        state: record.state,
        file,
        overriddenBy: effective !== enabled ? this.config.projectFile : undefined,
      };
    });
  }

  /** Runs a plugin's run() with `input` validated against its `inputs` schema. */
  run(id: string, input: unknown): Promise<unknown> {
    return this.#plugins.calls.run(this.require(id), input);
  }

  /** Commands contributed by plugins (known from manifests, without loading them). */
  commands(): DeclaredContribution[] {
    return this.contributions.list('command');
  }

  invokeCommand(name: string, invocation: CommandInvocation): Promise<unknown> {
    return this.#plugins.calls.invokeCommand(name, invocation);
  }

  invokeRoute(pluginId: string, request: RouteRequest): Promise<unknown> {
    return this.#plugins.calls.invokeRoute(this.require(pluginId), request);
  }

  invokePanel(pluginId: string, panelId: string, request: unknown): Promise<unknown> {
    return this.#plugins.calls.invokePanel(this.require(pluginId), panelId, request);
  }

  /**
   * The plugin's own metrics, when it declares `contributes.metrics` and is active; null otherwise.
   * Never activates it. @throws JOVIAN_E_CALL_TIMEOUT, JOVIAN_E_METRICS_INVALID
   */
  readMetrics(pluginId: string): Promise<Readonly<Record<string, number>> | null> {
    return this.#plugins.calls.readMetrics(this.require(pluginId));
  }

  /** Failures charged to plugins and other internal reports. */
  get plugins(): HostPlugins<H> {
    return this.#plugins;
  }
}
