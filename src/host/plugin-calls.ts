import type { PluginDirectoryAccess } from '../bridge/index.js';
import { isJovianError, JovianError } from '../errors.js';
import type { HookMap } from '../hooks/index.js';
import type { CallKind, LatencyCell } from '../observability/index.js';
import type { CommandInvocation, PluginInstance, RouteRequest } from '../runtimes/index.js';
import type { PluginState } from '../types.js';
import { compileJsonSchema, formatPath, withDeadline } from '../util/index.js';
import type { Activator } from './activator.js';
import type { HostCore } from './host-core.js';
import type { PluginRecord } from './plugin-record.js';

/** States in which a plugin can be reached (its code may have to be loaded first). */
export const RUNNABLE: ReadonlySet<PluginState> = new Set([
  'resolved',
  'loading',
  'ready',
  'suspended',
  'stopped',
]);

/** Where PluginCalls reports each call's outcome (the plugin's health: breaker, idle time). */
export interface CallOutcomes {
  used(record: PluginRecord): void;
  succeeded(record: PluginRecord): void;
  failed(record: PluginRecord): void;
}

/**
 * Calls into plugins on behalf of the application and of other plugins: run() with its input
 * validated, commands, routes and panels (each activating its plugin by its activation event), and
 * plugin APIs. Every call has a deadline and its failures are charged to the plugin.
 */
/** A plugin's call series: one per kind of call, and its runtime's RPC series (null in-process). */
interface PluginCallCells {
  readonly calls: Map<CallKind, LatencyCell>;
  readonly rpc: LatencyCell | null;
}

export class PluginCalls<H extends HookMap> {
  readonly #host: HostCore<H>;
  readonly #records: ReadonlyMap<string, PluginRecord>;
  readonly #activation: () => Activator;
  readonly #outcomes: CallOutcomes;
  readonly #cells = new WeakMap<PluginRecord, PluginCallCells>();

  constructor(
    host: HostCore<H>,
    records: ReadonlyMap<string, PluginRecord>,
    activation: () => Activator,
    outcomes: CallOutcomes,
  ) {
    this.#host = host;
    this.#records = records;
    this.#activation = activation;
    this.#outcomes = outcomes;
  }

  async run(record: PluginRecord, input: unknown): Promise<unknown> {
    this.#host.requireStarted();
    const manifest = record.manifest;
    if (manifest?.inputs) {
      const issues = (await compileJsonSchema(manifest.inputs)).check(input);
      if (issues.length > 0) {
        const details = issues.map((i) => `\`${formatPath(['input', ...i.path])}\` ${i.rule}`).join('; ');
        throw new JovianError(
          'JOVIAN_E_RUN_INPUT_INVALID',
          `input of \`${record.id}\` is invalid: ${details}`,
          {
            hint: `the inputs schema is in ${record.file}`,
          },
        );
      }
    }
    if (record.state !== 'ready') await this.#activation().activate(record, 'run');
    return this.#callGuest(record, 'run()', (guest) => guest.call('run', input), 'run');
  }

  async invokeCommand(name: string, invocation: CommandInvocation): Promise<unknown> {
    this.#host.requireStarted();
    const owner = this.#host.contributions.commandOwner(name);
    const record = owner === undefined ? undefined : this.#records.get(owner);
    if (!record)
      throw new JovianError('JOVIAN_E_COMMAND_UNKNOWN', `no plugin contributes the command \`${name}\``);
    await this.#activation().activate(record, `onCommand:${name}`);
    return this.#invokeContribution(record, 'command', name, invocation);
  }

  async invokeRoute(record: PluginRecord, request: RouteRequest): Promise<unknown> {
    this.#host.requireStarted();
    requireAvailable(record);
    const match = this.#host.contributions.matchRoute(record.id, request.method, request.path);
    if (!match) {
      throw new JovianError(
        'JOVIAN_E_CONTRIBUTION_UNDECLARED',
        `plugin \`${record.id}\` declares no route ${request.method} ${request.path}`,
      );
    }
    await this.#activation().activate(record, `onRoute:${match.key.split(' ')[1]}`);
    return this.#invokeContribution(record, 'route', match.key, { ...request, params: match.params });
  }

  async invokePanel(record: PluginRecord, panelId: string, request: unknown): Promise<unknown> {
    this.#host.requireStarted();
    requireAvailable(record);
    if (!this.#host.contributions.isDeclared('panel', record.id, panelId)) {
      throw new JovianError(
        'JOVIAN_E_CONTRIBUTION_UNDECLARED',
        `plugin \`${record.id}\` declares no panel \`${panelId}\``,
        { hint: `declare it under contributes.ui.panels in ${record.file}` },
      );
    }
    await this.#activation().activate(record, `onPanel:${panelId}`);
    return this.#invokeContribution(record, 'panel', panelId, request);
  }

  /**
   * The plugin's own `metrics()`, read only when it declares `contributes.metrics` and is active (ready):
   * null otherwise, and null from a plugin whose runtime cannot answer (Lua, webhook). Never activates
   * the plugin, and does not count as a use, so a dashboard that polls it does not keep an idle plugin
   * from hibernating. The call has the plugin's deadline and its failures are charged like others.
   * @throws JOVIAN_E_METRICS_INVALID when the answer is not an object of finite numbers.
   */
  async readMetrics(record: PluginRecord): Promise<Readonly<Record<string, number>> | null> {
    if (!record.manifest?.contributes.metrics.enabled || record.state !== 'ready' || !record.active)
      return null;
    const values = await this.#callGuest(record, 'metrics()', (guest) => guest.call('metrics'), null);
    return values === null || values === undefined ? null : checkMetrics(record.id, values);
  }

  async #invokeContribution(
    record: PluginRecord,
    kind: 'command' | 'route' | 'panel',
    key: string,
    input: unknown,
  ): Promise<unknown> {
    const handler = this.#host.contributions.handler(kind, record.id, key);
    if (!handler) {
      throw new JovianError(
        'JOVIAN_E_CONTRIBUTION_NOT_REGISTERED',
        `plugin \`${record.id}\` declares ${kind} \`${key}\` but registered no handler for it`,
      );
    }
    return this.#callGuest(
      record,
      `${kind} \`${key}\``,
      (guest) => guest.call('contribution.invoke', handler.handlerId, input as never),
      kind,
    );
  }

  /** Calls into an active plugin with its deadline; failures are charged to it. */
  async #callGuest<T>(
    record: PluginRecord,
    what: string,
    call: (guest: PluginInstance['guest']) => Promise<T>,
    /** How the call is measured; null for reads that neither count as a use (hibernation counts uses) nor are measured. */
    kind: CallKind | null,
  ): Promise<T> {
    const instance = record.active?.instance;
    if (record.state === 'suspended') {
      throw new JovianError(
        'JOVIAN_E_PLUGIN_SUSPENDED',
        `plugin \`${record.id}\` is suspended: ${record.reason ?? 'by the operator'}`,
      );
    }
    if (!instance)
      throw new JovianError('JOVIAN_E_PLUGIN_UNAVAILABLE', `plugin \`${record.id}\` is ${record.state}`);
    const timeoutMs = record.manifest?.limits.timeout_ms ?? this.#host.config.callTimeoutMs;
    if (kind !== null) this.#outcomes.used(record);
    const started = performance.now();
    const late = () =>
      new JovianError(
        'JOVIAN_E_CALL_TIMEOUT',
        `plugin \`${record.id}\`: ${what} did not finish within ${timeoutMs} ms`,
      );
    try {
      // An isolated runtime already holds each call to this deadline (and stops a plugin that misses
      // it): a second timer would only cost time.
      const result = instance.enforcesCallDeadlines
        ? await call(instance.guest)
        : await withDeadline(call(instance.guest), timeoutMs, late);
      this.#measure(record, kind, started);
      this.#outcomes.succeeded(record);
      return result;
    } catch (raw) {
      this.#measure(record, kind, started);
      const error =
        instance.enforcesCallDeadlines && isJovianError(raw) && raw.code === 'JOVIAN_E_CALL_TIMEOUT'
          ? late()
          : raw;
      // A plugin's own coded error (not JOVIAN_E_*) is an answer, not a failure of the plugin.
      if (isJovianError(error) && !error.code.startsWith('JOVIAN_E_')) {
        this.#outcomes.succeeded(record);
        throw error;
      }
      record.failures++;
      this.#outcomes.failed(record);
      if (isJovianError(error) && error.code !== 'JOVIAN_E_UNEXPECTED') throw error;
      throw new JovianError(
        'JOVIAN_E_RUN_FAILED',
        `plugin \`${record.id}\`: ${what} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  #measure(record: PluginRecord, kind: CallKind | null, started: number): void {
    if (kind === null) return;
    const ms = performance.now() - started;
    const cells = this.#cellsOf(record);
    let cell = cells.calls.get(kind);
    if (cell === undefined) {
      cell = this.#host.metrics.callCell(record.id, kind);
      cells.calls.set(kind, cell);
    }
    cell.observe(ms);
    cells.rpc?.observe(ms);
  }

  /** The metric series a plugin's calls write to, looked up once (the label hashing stays off the call path). */
  #cellsOf(record: PluginRecord): PluginCallCells {
    let cells = this.#cells.get(record);
    if (cells === undefined) {
      const runtime = record.manifest?.runtime;
      cells = {
        calls: new Map(),
        rpc: runtime !== undefined && runtime !== 'inprocess' ? this.#host.metrics.rpcCell(runtime) : null,
      };
      this.#cells.set(record, cells);
    }
    return cells;
  }

  /** Other plugins, as `caller` may reach them through ctx.plugins. */
  directory(caller: PluginRecord): PluginDirectoryAccess {
    const reachable = (id: string): PluginRecord | undefined => {
      const target = this.#records.get(id);
      return target && target.category !== 'core' && RUNNABLE.has(target.state) ? target : undefined;
    };
    return {
      has: (id) => reachable(id) !== undefined,
      describe: async (id, optional) => {
        const target = reachable(id);
        if (!target) {
          if (optional) return null;
          throw new JovianError(
            'JOVIAN_E_PLUGIN_UNAVAILABLE',
            `plugin \`${id}\`, needed by \`${caller.id}\`, is ${this.#records.get(id)?.state ?? 'not installed'}`,
          );
        }
        await this.#activation().activate(target, `api:${caller.id}`);
        const active = target.active!;
        active.apiMethods ??= await active.instance.guest.call('api.describe');
        return active.apiMethods;
      },
      call: async (id, method, args) => {
        const target = reachable(id);
        if (!target)
          throw new JovianError(
            'JOVIAN_E_PLUGIN_UNAVAILABLE',
            `plugin \`${id}\` is ${this.#records.get(id)?.state ?? 'not installed'}`,
          );
        await this.#activation().activate(target, `api:${caller.id}`);
        return this.#callGuest(
          target,
          `API method \`${method}\``,
          (guest) => guest.call('api.call', method, args),
          'api',
        );
      },
    };
  }
}

/** What `metrics()` may answer: an object whose values are finite numbers. */
function checkMetrics(pluginId: string, values: unknown): Readonly<Record<string, number>> {
  const refuse = (what: string) =>
    new JovianError('JOVIAN_E_METRICS_INVALID', `plugin \`${pluginId}\`: metrics() answered ${what}`, {
      hint: 'metrics() must return an object of numbers, e.g. `{ requests: 12, queue: 0 }`, or null',
    });
  if (typeof values !== 'object' || Array.isArray(values))
    throw refuse(Array.isArray(values) ? 'an array' : `a ${typeof values}`);
  for (const [key, value] of Object.entries(values as Record<string, unknown>))
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw refuse(
        `\`${key}\`: ${typeof value === 'number' ? String(value) : `a ${typeof value}`}, not a finite number`,
      );
  return values as Readonly<Record<string, number>>;
}

/**
 * A disabled or blocked plugin's contributions are not in the registry: say why it cannot answer,
 * rather than that it declares no such route or panel. @throws JOVIAN_E_PLUGIN_UNAVAILABLE
 */
function requireAvailable(record: PluginRecord): void {
  if (record.state !== 'disabled' && record.state !== 'blocked') return;
  throw new JovianError(
    'JOVIAN_E_PLUGIN_UNAVAILABLE',
    `plugin \`${record.id}\` is ${record.state}${record.reason ? `: ${record.reason}` : ''}`,
    { hint: `see \`jovian plugins info ${record.id}\`` },
  );
}
