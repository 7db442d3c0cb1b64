import { errorToData, isJovianError, JovianError } from '../errors.js';
import type { PluginInstance, Runtime, RuntimeLaunch } from '../runtimes/index.js';
import type { Manifest, PluginOutcome, PluginState } from '../types.js';
import { DisposableStore, elapsedMs, withDeadline } from '../util/index.js';
import { asActivationError, safeDispose, withinActivationDeadline } from './activation-failures.js';
import type { PluginRecord } from './plugin-record.js';
import type { StagedLaunch } from './staged-wiring.js';
import { ACTIVATABLE_STATES } from './state-machine.js';

/** What the activator needs from the host: a deliberately small interface. */
export interface ActivationHost {
  record(id: string): PluginRecord | undefined;
  transition(record: PluginRecord, to: PluginState, reason?: string, code?: string): void;
  runtimeFor(record: PluginRecord, manifest?: Manifest): Promise<Runtime>;
  /**
   * Builds the plugin's side of the bridge; `registrations` collects what must be undone at stop.
   * `instance` returns the loaded plugin while it is active, undefined otherwise. `staged`: a new
   * version started beside the running one, with its own manifest and wiring kept aside.
   */
  prepareLaunch(
    record: PluginRecord,
    registrations: DisposableStore,
    instance: () => PluginInstance | undefined,
    staged?: StagedLaunch,
  ): Omit<RuntimeLaunch, 'definition' | 'cacheBust'>;
  /** Runs after loading, before activate(): config migrations and loading (may throw). */
  afterLoad(record: PluginRecord, instance: PluginInstance, manifest?: Manifest): Promise<void>;
  /** Puts the plugin's hook and event slots back to their lazy state (it stopped). */
  resetSlots(record: PluginRecord): void;
  /** Reacts to a failed plugin: cascades to its dependents. Never throws. */
  onFailure(record: PluginRecord): Promise<void>;
  /** Why `record` may not be activated now (its circuit breaker is open), if it may not. */
  refusal(record: PluginRecord): JovianError | undefined;
  /** `record` became ready. */
  activated(record: PluginRecord): void;
  /** An activation ended after `durationMs` (loading plus activate()), ready or in error. */
  measured(record: PluginRecord, durationMs: number, outcome: 'ready' | 'error'): void;
  /** Dependencies to activate first: required ones and the optional ones that can run. */
  dependenciesOf(record: PluginRecord): PluginRecord[];
  activationTimeoutMs(record: PluginRecord): number;
  readonly deactivationTimeoutMs: number;
  log(level: 'info' | 'warn' | 'error', message: string, data?: unknown): void;
}

/**
 * Loads and activates plugins, and stops them. Concurrent activations of one plugin share one
 * promise; dependencies activate first; loading plus activate() share one deadline; outcomes (timings,
 * errors) are recorded on the plugin rather than thrown away.
 */
export class Activator {
  readonly #host: ActivationHost;

  constructor(host: ActivationHost) {
    this.#host = host;
  }

  /**
   * Activates `record` because of `event` (an activation event, or why it was needed).
   * @throws JOVIAN_E_PLUGIN_UNAVAILABLE when it cannot run, or the activation failure.
   */
  activate(record: PluginRecord, event: string): Promise<void> {
    if (record.state === 'ready' || record.state === 'suspended') return Promise.resolve();
    if (record.activation) return record.activation;
    if (!ACTIVATABLE_STATES.has(record.state)) return Promise.reject(unavailable(record));
    const refusal = this.#host.refusal(record);
    if (refusal) return Promise.reject(refusal);
    const activation = this.#activate(record, event).finally(() => {
      if (record.activation === activation) record.activation = undefined;
    });
    record.activation = activation;
    return activation;
  }

  async #activate(record: PluginRecord, event: string): Promise<void> {
    for (const dependency of this.#host.dependenciesOf(record)) {
      try {
        await this.activate(dependency, `dependency of ${record.id}`);
      } catch (error) {
        throw new JovianError(
          'JOVIAN_E_DEPENDENCY_FAILED',
          `plugin \`${record.id}\` cannot start: its dependency \`${dependency.id}\` failed`,
          {
            cause: error,
          },
        );
      }
    }
    this.#host.transition(record, 'loading', event);
    const registrations = new DisposableStore();
    let instance: PluginInstance | undefined;
    let abandoned = false;
    const started = performance.now();
    const outcome: { loadMs?: number; activateMs?: number } = {};
    const timeoutMs = this.#host.activationTimeoutMs(record);
    const work = (async () => {
      // The plugin reaches the host only while `record.active` is set: a timed-out activation that
      // carries on in the background finds it cleared and cannot register anything.
      const launch = this.#host.prepareLaunch(record, registrations, () => record.active?.instance);
      const runtime = await this.#host.runtimeFor(record);
      instance = await runtime.load({
        ...launch,
        definition: record.definition,
        cacheBust: record.code?.cacheBust,
        source: record.code?.source,
      });
      if (abandoned) return;
      // Kept so that a failed reload can run this version again, whatever the file holds by then.
      if (instance.source !== undefined) record.code = { ...record.code, source: instance.source };
      record.active = { instance, registrations };
      outcome.loadMs = elapsedMs(started);
      await this.#host.afterLoad(record, instance);
      if (abandoned) return;
      const activateStart = performance.now();
      await instance.guest.call('activate');
      outcome.activateMs = elapsedMs(activateStart);
    })();
    try {
      await withinActivationDeadline(record, work, timeoutMs);
    } catch (raw) {
      abandoned = true;
      const error = asActivationError(record, raw);
      record.active = undefined;
      safeDispose(registrations);
      if (instance) await instance.dispose().catch(() => undefined);
      else void work.then(() => instance?.dispose()).catch(() => undefined);
      this.#host.measured(record, elapsedMs(started), 'error');
      record.outcome = { ...outcome, activatedBy: event, error: errorToData(error) };
      this.#host.transition(record, 'error', error.message, error.code);
      this.#host.log('error', error.message, { plugin: record.id, code: error.code });
      await this.#host.onFailure(record);
      throw error;
    }
    record.outcome = {
      ...outcome,
      activatedBy: event,
      activatedAt: new Date().toISOString(),
    } satisfies PluginOutcome;
    this.#host.measured(record, elapsedMs(started), 'ready');
    this.#host.transition(record, 'ready', event);
    this.#host.activated(record);
  }

  /**
   * Stops an active plugin: deactivate() within its deadline (a failure or timeout is recorded, and the
   * plugin is stopped anyway), then everything it registered is removed. Waits for an activation in
   * flight first. Resolves to true when the plugin was active.
   */
  async deactivate(record: PluginRecord, reason: string): Promise<boolean> {
    if (record.activation) await record.activation.catch(() => undefined);
    if (record.state !== 'ready' && record.state !== 'suspended') return false;
    this.#host.transition(record, 'stopping', reason);
    const active = record.active;
    const started = performance.now();
    let failure: JovianError | undefined;
    if (active) {
      try {
        await withDeadline(
          active.instance.guest.call('deactivate'),
          this.#host.deactivationTimeoutMs,
          () =>
            new JovianError(
              'JOVIAN_E_DEACTIVATION_TIMEOUT',
              `plugin \`${record.id}\` did not deactivate within ${this.#host.deactivationTimeoutMs} ms`,
            ),
        );
      } catch (raw) {
        failure =
          isJovianError(raw) && raw.code === 'JOVIAN_E_DEACTIVATION_TIMEOUT'
            ? raw
            : new JovianError(
                'JOVIAN_E_DEACTIVATION_FAILED',
                `plugin \`${record.id}\`: deactivate() threw: ${(raw as Error).message}`,
                { cause: raw },
              );
        this.#host.log('warn', failure.message, { plugin: record.id, code: failure.code });
      }
      // Cleared before disposing: an isolated plugin's exit that follows is then known to be ours,
      // not a crash.
      record.active = undefined;
      safeDispose(active.registrations);
      await active.instance.dispose().catch(() => undefined);
    }
    record.active = undefined;
    this.#host.resetSlots(record);
    record.outcome = {
      ...record.outcome,
      deactivateMs: elapsedMs(started),
      error: failure ? errorToData(failure) : record.outcome.error,
    };
    this.#host.transition(record, 'stopped', reason);
    return true;
  }
}

function unavailable(record: PluginRecord): JovianError {
  const why = record.reason ? `: ${record.reason}` : '';
  return new JovianError(
    'JOVIAN_E_PLUGIN_UNAVAILABLE',
    `plugin \`${record.id}\` cannot be activated, it is ${record.state}${why}`,
    {
      hint: `see \`jovian plugins info ${record.id}\``,
    },
  );
}
