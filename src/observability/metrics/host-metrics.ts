import { type LatencyCell, LatencyCells } from './latency-cell.js';

/** What the host tells the metrics about one plugin when they are read (never on a hot path). */
export interface PluginMetricsSnapshot {
  readonly id: string;
  readonly state: string;
  /** Failures charged to the plugin so far (taps, handlers, calls, crashes). */
  readonly failures: number;
  readonly breakerOpen: boolean;
}

/** Counters the host reads from elsewhere when the metrics are read. */
export interface HostMetricsSnapshot {
  readonly plugins: readonly PluginMetricsSnapshot[];
  /** The event bus: events published, deliveries queued, deliveries dropped by full queues. */
  readonly events: { readonly published: number; readonly delivered: number; readonly dropped: number };
}

/** Per-plugin usage derived from the metrics: hook taps and calls into the plugin (run, commands, routes, panels, API). */
export interface PluginUsage {
  readonly calls: number;
  /** ISO 8601, or null when never called since the host started. */
  readonly lastCallAt: string | null;
  /** Mean duration in milliseconds, or null when never called. */
  readonly averageMs: number | null;
}

/** What a plugin's own `metrics()` answered last, and when (collected on an interval). */
export interface PluginValues {
  readonly values: Readonly<Record<string, number>>;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

/** How calls into a plugin are labelled (`kind` of `jovian_plugin_call_duration_seconds`). */
export type CallKind = 'run' | 'command' | 'route' | 'panel' | 'api' | 'event';

/**
 * Jobs, as the jobs system reports them. Every method is cheap and never throws.
 * @example
 * metrics.jobs.entered('backup', 'nightly', 'running');
 * metrics.jobs.finished('backup', 'nightly', 'succeeded', 1830);
 * metrics.jobs.countByState(() => ({ queued: queue.length, running: running.size }));
 */
export class JobMetrics {
  /** `jovian_job_transitions_total{plugin_id,handler,state}`: jobs that entered each state. */
  readonly transitions = new Map<string, { labels: Record<string, string>; count: number }>();
  /** `jovian_job_duration_seconds{plugin_id,handler,outcome}`: how long finished jobs ran. */
  readonly durations = new LatencyCells(['plugin_id', 'handler', 'outcome'] as const);
  #byState: (() => Readonly<Record<string, number>>) | undefined;

  /** A job of `pluginId`'s `handler` entered `state` (`queued`, `running`, `succeeded`, `failed`, `cancelled`…). */
  entered(pluginId: string, handler: string, state: string): void {
    const key = `${pluginId}\u0000${handler}\u0000${state}`;
    const found = this.transitions.get(key);
    if (found) found.count++;
    else this.transitions.set(key, { labels: { plugin_id: pluginId, handler, state }, count: 1 });
  }

  /** A job ended after `durationMs` with `outcome` (`succeeded`, `failed`, `cancelled`, `timed_out`…). */
  finished(pluginId: string, handler: string, outcome: string, durationMs: number): void {
    this.durations.cell({ plugin_id: pluginId, handler, outcome }).observe(durationMs);
  }

  /** Where `jovian_jobs{state}` (jobs in each state now) is read from, when the metrics are read. */
  countByState(provider: () => Readonly<Record<string, number>>): void {
    this.#byState = provider;
  }

  /** Jobs in each state now (empty until countByState is called). */
  byState(): Readonly<Record<string, number>> {
    try {
      return this.#byState?.() ?? {};
    } catch {
      return {};
    }
  }
}

/**
 * The host's own measurements, kept as plain numbers so that recording stays cheap and loading the
 * host never loads prom-client (a command that never serves metrics never pays for them); see
 * prometheus-export.ts for the Prometheus and JSON views. Series are created when first needed and
 * the hot paths keep the cell they write to.
 */
export class HostMetrics {
  readonly version: string;
  /** `jovian_plugin_activation_duration_seconds{plugin_id,outcome}` (its count: activations). */
  readonly activations = new LatencyCells(['plugin_id', 'outcome'] as const);
  /** `jovian_hook_tap_duration_seconds{plugin_id,hook}` (its count: hook calls reaching the plugin). */
  readonly hookTaps = new LatencyCells(['plugin_id', 'hook'] as const);
  /** `jovian_plugin_call_duration_seconds{plugin_id,kind}`: calls into the plugin. */
  readonly calls = new LatencyCells(['plugin_id', 'kind'] as const);
  /** `jovian_rpc_call_duration_seconds{runtime}`: calls that cross into an isolated runtime. */
  readonly rpc = new LatencyCells(['runtime'] as const);
  readonly jobs = new JobMetrics();
  /** `jovian_plugin_restarts_total{plugin_id}`: restarts by the host after crashes. */
  readonly restarts = new Map<string, number>();
  readonly #pluginValues = new Map<string, PluginValues>();
  #snapshot: () => HostMetricsSnapshot = () => ({
    plugins: [],
    events: { published: 0, delivered: 0, dropped: 0 },
  });

  constructor(version: string) {
    this.version = version;
  }

  /** Where plugin states, failures, breakers and event counts are read from. */
  readFrom(snapshot: () => HostMetricsSnapshot): void {
    this.#snapshot = snapshot;
  }

  snapshot(): HostMetricsSnapshot {
    return this.#snapshot();
  }

  activation(pluginId: string, durationMs: number, outcome: 'ready' | 'error'): void {
    this.activations.cell({ plugin_id: pluginId, outcome }).observe(durationMs);
  }

  /** The series a plugin's tap of `hook` writes to (kept by the tap). */
  hookCell(pluginId: string, hook: string): LatencyCell {
    return this.hookTaps.cell({ plugin_id: pluginId, hook });
  }

  callCell(pluginId: string, kind: CallKind): LatencyCell {
    return this.calls.cell({ plugin_id: pluginId, kind });
  }

  rpcCell(runtime: string): LatencyCell {
    return this.rpc.cell({ runtime });
  }

  restarted(pluginId: string): void {
    this.restarts.set(pluginId, (this.restarts.get(pluginId) ?? 0) + 1);
  }

  /** Keeps what a plugin's `metrics()` answered; null forgets it (the plugin stopped). */
  setPluginValues(pluginId: string, values: Readonly<Record<string, number>> | null): void {
    if (values === null) this.#pluginValues.delete(pluginId);
    else this.#pluginValues.set(pluginId, { values, at: Date.now() });
  }

  pluginValues(): ReadonlyMap<string, PluginValues> {
    return this.#pluginValues;
  }

  /** Calls, last call and mean duration of `pluginId`, from its hook-tap and call series. */
  usage(pluginId: string): PluginUsage {
    let calls = 0;
    let sumMs = 0;
    let lastAt = 0;
    for (const cells of [this.hookTaps.entries(), this.calls.entries()]) {
      for (const { labels, cell } of cells) {
        if (labels.plugin_id !== pluginId) continue;
        calls += cell.count;
        sumMs += cell.sumMs;
        if (cell.lastAt > lastAt) lastAt = cell.lastAt;
      }
    }
    return {
      calls,
      lastCallAt: lastAt === 0 ? null : new Date(lastAt).toISOString(),
      averageMs: calls === 0 ? null : Math.round((sumMs / calls) * 1000) / 1000,
    };
  }
}
