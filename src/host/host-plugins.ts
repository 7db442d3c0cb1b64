import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createHostHandlers, type PluginScope } from '../bridge/index.js';
import { dataDirLayout } from '../config/index.js';
import { errorToData, JovianError } from '../errors.js';
import type { HookMap } from '../hooks/index.js';
import {
  type InstanceExit,
  loadRuntime,
  type PluginInstance,
  type Runtime,
  type RuntimeLaunch,
} from '../runtimes/index.js';
import type { PluginState } from '../types.js';
import type { DisposableStore } from '../util/index.js';
import type { ActivationHost, Activator } from './activator.js';
import type { CoreHostView } from './core-plugins.js';
import { writeCrashDump } from './crash-dump.js';
import { DEFAULT_EVENTS_PER_SECOND, EmitThrottle } from './emit-throttle.js';
import { PluginEventSlots } from './event-slots.js';
import { createHealthMonitor } from './health-actions.js';
import type { HealthMonitor } from './health-monitor.js';
import { PluginHookSlots } from './hook-slots.js';
import type { HostCore } from './host-core.js';
import { PluginCalls, RUNNABLE } from './plugin-calls.js';
import { PluginHealth } from './plugin-health.js';
import type { PluginRecord } from './plugin-record.js';
import { PluginRecovery, type RecoveryHost } from './plugin-recovery.js';
import { PluginStores } from './plugin-stores.js';
import type { StagedLaunch, WiringDoors } from './staged-wiring.js';

/**
 * The host's per-plugin machinery: building each plugin's bridge (launch), its lazy hook and event
 * slots, calls into plugins (run, commands, routes, panels, APIs) with deadlines, and charging
 * failures to the plugin that caused them.
 */
export class HostPlugins<H extends HookMap> implements ActivationHost {
  readonly #host: HostCore<H>;
  readonly #records: ReadonlyMap<string, PluginRecord>;
  readonly #slots = new Map<string, { hooks: PluginHookSlots; events: PluginEventSlots }>();
  readonly stores: PluginStores;
  /** Calls into plugins: run, commands, routes, panels and plugin APIs. */
  readonly calls: PluginCalls<H>;
  /** Circuit breakers, restarts with backoff, hibernation. */
  readonly recovery: PluginRecovery;
  /** Periodic health() checks of active plugins, and what follows a failing one. */
  readonly healthMonitor: HealthMonitor;
  #activator: Activator | undefined;
  /** Exits being handled (crash dump, state, restart): the host waits for them before it says it stopped. */
  readonly #exits = new Set<Promise<void>>();
  /** Runtimes loaded so far, by kind (`process:command` for executables). */
  readonly #runtimes = new Map<string, Runtime>();

  constructor(host: HostCore<H>, records: ReadonlyMap<string, PluginRecord>) {
    this.#host = host;
    this.#records = records;
    this.stores = new PluginStores(host.config.dataDir, () => host.projectOverrides(), host.audit);
    this.recovery = new PluginRecovery(this.#recoveryHost(), host.config.recovery);
    this.healthMonitor = createHealthMonitor(host, () => records.values(), this.recovery);
    this.calls = new PluginCalls(host, records, () => this.#activation, {
      used: (record) => void this.healthOf(record).uses++,
      succeeded: (record) => this.recovery.succeeded(record),
      failed: (record) => this.recovery.failed(record),
    });
  }

  /** Resolves once every plugin exit seen so far has been handled (its crash dump written). */
  async settled(): Promise<void> {
    while (this.#exits.size > 0) await Promise.allSettled([...this.#exits]);
  }

  /** The breaker, restart count and use count of `record` (created on first use). */
  healthOf(record: PluginRecord): PluginHealth {
    record.health ??= new PluginHealth(this.#host.config.recovery);
    return record.health;
  }

  /** Stops delivering calls, hook calls and events to an active plugin; it keeps its state. */
  suspend(record: PluginRecord, reason: string, code?: string): boolean {
    if (record.state !== 'ready') return false;
    this.#host.transition(record, 'suspended', reason, code);
    const slots = this.#slots.get(record.id);
    slots?.hooks.pause();
    slots?.events.pause();
    return true;
  }

  resume(record: PluginRecord, reason: string): boolean {
    if (record.state !== 'suspended') return false;
    const slots = this.#slots.get(record.id);
    slots?.hooks.resume();
    slots?.events.resume();
    if (record.health) record.health.suspendedBy = undefined;
    this.#host.transition(record, 'ready', reason);
    return true;
  }

  #recoveryHost(): RecoveryHost {
    return {
      suspend: async (record, reason, code) => void this.suspend(record, reason, code),
      resume: async (record, reason) => void this.resume(record, reason),
      restart: (record, reason, activate) => {
        this.#host.metrics.restarted(record.id);
        return this.#host.recover(record, reason, activate);
      },
      hibernate: (record, reason) => this.#host.hibernate(record, reason),
      healthOf: (record) => this.healthOf(record),
      records: () => this.#records.values(),
      announce: (topic, payload) => this.#host.events.emit(topic, payload, { source: 'host' }),
      log: (record, level, message) => this.#host.logs.write(record.id, level, message),
    };
  }

  bind(activator: Activator): void {
    this.#activator = activator;
  }

  get #activation(): Activator {
    if (!this.#activator) throw new JovianError('JOVIAN_E_INTERNAL', 'activator not bound');
    return this.#activator;
  }

  // — ActivationHost —

  record(id: string): PluginRecord | undefined {
    return this.#records.get(id);
  }

  transition(record: PluginRecord, to: PluginState, reason?: string, code?: string): void {
    this.#host.transition(record, to, reason, code);
  }

  async runtimeFor(record: PluginRecord, manifest = record.manifest): Promise<Runtime> {
    const kind = manifest?.runtime ?? 'inprocess';
    const command = manifest?.command !== undefined;
    const key = `${kind}${command ? ':command' : ''}`;
    let runtime = this.#runtimes.get(key);
    if (!runtime) {
      runtime = await loadRuntime(kind, { command, dataDir: this.#host.config.dataDir });
      if (runtime) this.#runtimes.set(key, runtime);
    }
    if (runtime) return runtime;
    throw new JovianError(
      'JOVIAN_E_RUNTIME_UNAVAILABLE',
      `runtime \`${kind}\` of plugin \`${record.id}\` is not available in this version of Jovian`,
    );
  }

  prepareLaunch(
    record: PluginRecord,
    registrations: DisposableStore,
    instance: () => PluginInstance | undefined,
    staged?: StagedLaunch,
  ): Omit<RuntimeLaunch, 'definition' | 'cacheBust'> {
    const manifest = staged?.manifest ?? record.manifest!;
    const scope = this.#scope(record, instance, staged);
    return {
      manifest,
      dir: record.dir,
      entry: resolve(record.dir, manifest.main),
      paths: { data: scope.dataDir, plugin: scope.pluginDir, project: scope.projectDir },
      output: (level, line) => this.#host.logs.write(record.id, level, line),
      callDeadlineMs: manifest.limits.timeout_ms ?? this.#host.config.callTimeoutMs,
      startDeadlineMs: this.activationTimeoutMs(record),
      livenessIntervalMs: this.#host.config.recovery.livenessIntervalMs,
      host: createHostHandlers(scope, registrations),
      clone: this.#host.config.strictClone ?? this.#host.developerMode,
    };
  }

  async afterLoad(record: PluginRecord, instance: PluginInstance, manifest = record.manifest): Promise<void> {
    if (record.category === 'core') return;
    instance.onExit((exit) => {
      const handling = this.#crashed(record, instance, exit).finally(() => this.#exits.delete(handling));
      this.#exits.add(handling);
    });
    await mkdir(dataDirLayout(this.#host.config.dataDir).pluginDataDir(record.id), { recursive: true });
    const versions = await instance.guest.call('migrations.list');
    const migrations = Object.fromEntries(
      versions.map((version) => [
        version,
        (previous: Record<string, unknown>) => instance.guest.call('migrations.run', version, previous),
      ]),
    );
    const outcome = await this.stores.openConfig(record, migrations, manifest);
    if (outcome.migratedFrom !== undefined) {
      this.#host.logs.write(
        record.id,
        'info',
        `config migrated from version ${outcome.migratedFrom}; backup at ${outcome.backup}`,
      );
    }
  }

  resetSlots(record: PluginRecord): void {
    const slots = this.#slots.get(record.id);
    slots?.hooks.reset();
    slots?.events.reset();
  }

  refusal(record: PluginRecord): JovianError | undefined {
    const breaker = record.health?.breaker;
    if (!breaker || breaker.allows(Date.now())) return undefined;
    return new JovianError(
      'JOVIAN_E_CIRCUIT_OPEN',
      `plugin \`${record.id}\` failed too often: its circuit breaker is open until ${new Date(breaker.retryAt).toISOString()}`,
      {
        hint: `read its log (\`jovian logs ${record.id}\`); one trial call goes through after the cool-down`,
      },
    );
  }

  activated(record: PluginRecord): void {
    this.recovery.activated(record);
    // A fresh start gets a fresh count of failing checks; the last result stays shown until the next
    // check, one interval later (the plugin's first calls are its callers', not the monitor's).
    if (record.check) record.check = { ...record.check, failures: 0 };
  }

  measured(record: PluginRecord, durationMs: number, outcome: 'ready' | 'error'): void {
    if (record.category !== 'core') this.#host.metrics.activation(record.id, durationMs, outcome);
  }

  async onFailure(record: PluginRecord): Promise<void> {
    if (record.state === 'error') this.recovery.crashed(record);
    this.uninstallSlots(record);
    this.#host.contributions.unbindAll(record.id);
    this.#host.events.emit(
      'plugin.failure',
      { plugin: record.id, error: record.outcome.error },
      { source: 'host' },
    );
    // Not awaited: the cascade may have to wait for activations that are waiting for this one.
    void this.#host.scheduleResolve();
  }

  dependenciesOf(record: PluginRecord): PluginRecord[] {
    const manifest = record.manifest;
    if (!manifest) return [];
    const ids = [
      ...manifest.dependencies.filter((d) => !d.optional).map((d) => d.id),
      ...manifest.extends.map((e) => e.id),
      ...manifest.dependencies
        .filter((d) => d.optional)
        .map((d) => d.id)
        .filter((id) => RUNNABLE.has(this.#records.get(id)?.state ?? 'error')),
    ];
    return [...new Set(ids)]
      .map((id) => this.#records.get(id))
      .filter((r): r is PluginRecord => r !== undefined && r.category !== 'core');
  }

  activationTimeoutMs(record: PluginRecord): number {
    return record.manifest?.limits.timeout_ms ?? this.#host.config.activationTimeoutMs;
  }

  get deactivationTimeoutMs(): number {
    return this.#host.config.deactivationTimeoutMs;
  }

  log(level: 'info' | 'warn' | 'error', message: string, data?: unknown): void {
    this.#host.logs.write('host', level, message, data);
  }

  /** An isolated plugin's thread or process ended while the host still used it. */
  async #crashed(record: PluginRecord, instance: PluginInstance, exit: InstanceExit): Promise<void> {
    if (record.active?.instance !== instance) return;
    const active = record.active;
    record.active = undefined;
    try {
      active.registrations.dispose();
    } catch {
      // Every registration is released; one that fails must not stop the others.
    }
    if (exit.collateral && (record.state === 'ready' || record.state === 'suspended')) {
      await this.#restartNeighbour(record, exit);
      return;
    }
    const error = new JovianError('JOVIAN_E_PLUGIN_CRASHED', `plugin \`${record.id}\` ${exit.reason}`, {
      cause: exit.error,
    });
    const dump = await writeCrashDump(
      this.#host.config.dataDir,
      record,
      exit,
      this.#host.logs.tail(record.id, 50),
    ).catch(() => undefined);
    record.outcome = { ...record.outcome, error: errorToData(error) };
    record.failures++;
    this.#host.logs.write(record.id, 'error', `${error.message}${dump ? `; crash dump: ${dump}` : ''}`);
    if (
      record.state === 'ready' ||
      record.state === 'suspended' ||
      record.state === 'loading' ||
      record.state === 'stopping'
    ) {
      this.#host.transition(record, 'error', error.message, error.code);
    }
    await this.onFailure(record);
  }

  /**
   * A plugin stopped for another's fault (they shared the Lua worker): it is started again at once, its
   * persisted state intact, and no failure is counted against it.
   */
  async #restartNeighbour(record: PluginRecord, exit: InstanceExit): Promise<void> {
    const wasReady = record.state === 'ready';
    this.#host.transition(record, 'stopping', exit.reason);
    this.resetSlots(record);
    this.#host.transition(record, 'stopped', exit.reason);
    this.#host.logs.write(record.id, 'warn', `stopped: ${exit.reason}; starting it again`);
    if (wasReady) await this.#activation.activate(record, 'restart').catch(() => undefined);
  }

  // — slots —

  installSlots(record: PluginRecord): void {
    if (!record.manifest || record.category === 'core') return;
    let slots = this.#slots.get(record.id);
    if (!slots) {
      const activate = (event: string) => this.#activation.activate(record, event);
      const instance = () => record.active?.instance;
      const used = () => void this.healthOf(record).uses++;
      slots = {
        hooks: new PluginHookSlots(record.manifest, this.#host.hooks, activate, instance, used, {
          hook: (hook) => this.#host.metrics.hookCell(record.id, hook),
          rpc: () => this.#host.metrics.rpcCell(record.manifest!.runtime),
        }),
        events: new PluginEventSlots(record.manifest, this.#host.events, activate, instance, used),
      };
      this.#slots.set(record.id, slots);
    }
    slots.hooks.install();
    slots.events.install();
  }

  /** Calls `record`'s own tap of `hookName` (if it taps it and is active); undefined otherwise. */
  callOwnTap(record: PluginRecord, hookName: string): Promise<unknown> {
    return this.#slots.get(record.id)?.hooks.callOwn(hookName, []) ?? Promise.resolve(undefined);
  }

  uninstallSlots(record: PluginRecord): void {
    const slots = this.#slots.get(record.id);
    if (!slots) return;
    slots.hooks.uninstall();
    slots.events.uninstall();
    this.#slots.delete(record.id);
  }

  /** Activates `record` now if it must start with the host: system plugins, `onStartup`, synchronous hook taps. */
  async startIfEager(record: PluginRecord): Promise<void> {
    const manifest = record.manifest;
    if (!manifest || record.state !== 'resolved') return;
    const syncTaps = this.#slots.get(record.id)?.hooks.syncHooks ?? [];
    const eager =
      record.category === 'system' || manifest.activation.includes('onStartup') || syncTaps.length > 0;
    if (!eager) return;
    await this.#activation
      .activate(
        record,
        manifest.activation.includes('onStartup') || record.category === 'system'
          ? 'onStartup'
          : `onHook:${syncTaps[0]}`,
      )
      .catch(() => {
        // Recorded on the plugin (state `error`, outcome) and logged by the activator.
      });
  }

  // — failures —

  /** Charges a failure (a tap that threw, a handler that failed) to the plugin that owns it. */
  charge(owner: string | undefined, error: unknown, where: string): void {
    const record = owner === undefined ? undefined : this.#records.get(owner);
    if (!record || isRefusal(error)) return;
    record.failures++;
    this.recovery.failed(record);
    // A subscriber failing on plugin.log must not log again: that would feed its own failure back to it.
    if (where.includes('plugin.log')) return;
    const data = errorToData(error);
    this.#host.logs.write(record.id, 'error', data.message, { code: data.code });
  }

  #scope(
    record: PluginRecord,
    instance: () => PluginInstance | undefined,
    staged: StagedLaunch | undefined,
  ): PluginScope {
    const manifest = staged?.manifest ?? record.manifest!;
    const id = record.id;
    const host = this.#host;
    const perSecond = manifest.limits.events_per_second ?? DEFAULT_EVENTS_PER_SECOND;
    const throttle = new EmitThrottle(id, perSecond, (dropped) => {
      host.logs.write(id, 'warn', `throttled: more than ${perSecond} events per second (${dropped} dropped)`);
      host.events.emit('plugin.throttled', { id, perSecond, dropped }, { source: 'host' });
      this.recovery.failed(record);
    });
    const slots = () => {
      const found = this.#slots.get(id);
      if (!found)
        throw new JovianError(
          'JOVIAN_E_HOST_NOT_STARTED',
          `plugin \`${id}\` registered a hook or listener before the host started`,
        );
      return found;
    };
    const wiring: WiringDoors = {
      hookSlots: {
        bind: (hook, tapId) => slots().hooks.bind(hook, tapId),
        unbind: (hook, tapId) => slots().hooks.unbind(hook, tapId),
      },
      eventSlots: {
        subscribe: (pattern, subscriptionId) => slots().events.subscribe(pattern, subscriptionId),
        unsubscribe: (subscriptionId) => slots().events.unsubscribe(subscriptionId),
      },
      contributions: host.contributions,
    };
    return {
      ...(staged ? staged.wiring.doors(wiring) : wiring),
      pluginId: id,
      permissions: manifest.permissions,
      pluginDir: record.dir,
      dataDir: dataDirLayout(host.config.dataDir).pluginDataDir(id),
      projectDir: host.config.projectDir,
      audit: host.audit,
      manifest,
      log: (level, message, data) => host.logs.write(id, level, message, data),
      config: this.stores.configAccess(record),
      state: this.stores.stateAccess(record),
      emit: (topic, payload) => {
        throttle.take();
        host.events.emit(topic, payload, { source: id });
      },
      directory: this.calls.directory(record),
      jobs: host.jobs.accessFor(record),
      guest: () => {
        const loaded = instance();
        if (!loaded) throw new JovianError('JOVIAN_E_PLUGIN_UNAVAILABLE', `plugin \`${id}\` is not active`);
        return loaded.guest;
      },
    };
  }

  coreView(): CoreHostView {
    return {
      countByState: () => {
        const counts: Record<string, number> = {};
        for (const record of this.#records.values()) {
          if (record.category === 'core') continue;
          counts[record.state] = (counts[record.state] ?? 0) + 1;
        }
        return counts;
      },
      contributionCount: () => {
        const all = this.#host.contributions.list();
        return { declared: all.length, bound: all.filter((c) => c.bound).length };
      },
      validateAllConfigs: () =>
        this.stores.validateAll(
          [...this.#records.values()].filter((r) => RUNNABLE.has(r.state) && r.category !== 'core'),
        ),
    };
  }
}

/** A call refused because the plugin is suspended or its breaker is open is not a new failure. */
export function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'JOVIAN_E_CIRCUIT_OPEN' || code === 'JOVIAN_E_PLUGIN_SUSPENDED';
}
