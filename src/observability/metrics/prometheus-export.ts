import type { Registry } from 'prom-client';
import { PLUGIN_STATES } from '../../types.js';
import type { HostMetrics } from './host-metrics.js';
import { LATENCY_BUCKETS_S, type LatencyCells } from './latency-cell.js';

/** One metric as `GET /api/metrics` gives it (prom-client's JSON shape). */
export interface MetricJson {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: readonly {
    readonly labels: Readonly<Record<string, string | number>>;
    readonly value: number;
    readonly metricName?: string;
  }[];
}

type Value = { labels: Record<string, string | number>; value: number; metricName?: string };

/**
 * The Prometheus view of HostMetrics, built with prom-client on first use (so the host loads it only
 * when metrics are served): Node's process metrics, then every Jovian metric, read from HostMetrics
 * at each scrape. Names pass `promtool check metrics`: prom-client's default gauges whose names end in
 * `_total` (a suffix Prometheus keeps for counters) are left out; their counterparts without the
 * suffix (`nodejs_active_handles`…) carry the same values.
 */
export class PrometheusExport {
  readonly #metrics: HostMetrics;
  #registry: Promise<Registry> | undefined;

  constructor(metrics: HostMetrics) {
    this.#metrics = metrics;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  async text(): Promise<string> {
    return (await this.#ready()).metrics();
  }

  get contentType(): string {
    return 'text/plain; version=0.0.4; charset=utf-8';
  }

  /** Every metric with its values, as JSON. */
  async json(): Promise<MetricJson[]> {
    const all = await (await this.#ready()).getMetricsAsJSON();
    return all.map((m) => ({
      name: m.name,
      help: m.help,
      type: String(m.type),
      values: m.values.map((v) => ({
        labels: v.labels as Record<string, string | number>,
        value: v.value,
        ...((v as Value).metricName === undefined ? {} : { metricName: (v as Value).metricName }),
      })),
    }));
  }

  #ready(): Promise<Registry> {
    this.#registry ??= this.#build();
    return this.#registry;
  }

  async #build(): Promise<Registry> {
    const loaded = await import('prom-client');
    // A CommonJS package: its exports are `default` once bundled, named ones under tsx and vitest.
    const prom = (loaded.default as typeof loaded.default | undefined) ?? loaded;
    const registry = new prom.Registry();
    prom.collectDefaultMetrics({ register: registry });
    for (const metric of registry.getMetricsAsArray()) {
      if (metric.name.endsWith('_total') && (metric as { type?: unknown }).type !== 'counter')
        registry.removeSingleMetric(metric.name);
    }
    const m = this.#metrics;
    const snapshot = () => m.snapshot();
    const gauge = (name: string, help: string, read: () => Value[]) =>
      registry.registerMetric(custom(name, help, 'gauge', read));
    const counter = (name: string, help: string, read: () => Value[]) =>
      registry.registerMetric(custom(name, help, 'counter', read));
    const histogram = <L extends string>(name: string, help: string, cells: LatencyCells<L>) =>
      registry.registerMetric(custom(name, help, 'histogram', () => histogramValues(name, cells)));

    gauge('jovian_info', 'Jovian version.', () => [{ labels: { version: m.version }, value: 1 }]);
    gauge('jovian_plugins', 'Plugins by lifecycle state.', () => {
      const counts = new Map<string, number>();
      for (const p of snapshot().plugins) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
      return PLUGIN_STATES.map((state) => ({ labels: { state }, value: counts.get(state) ?? 0 }));
    });
    counter(
      'jovian_plugin_failures_total',
      'Failures charged to each plugin (taps, handlers, calls, crashes).',
      () => snapshot().plugins.map((p) => ({ labels: { plugin_id: p.id }, value: p.failures })),
    );
    gauge('jovian_plugin_breaker_open', "Whether each plugin's circuit breaker is open (1) or not (0).", () =>
      snapshot().plugins.map((p) => ({ labels: { plugin_id: p.id }, value: p.breakerOpen ? 1 : 0 })),
    );
    counter('jovian_plugin_restarts_total', 'Restarts of each plugin by the host after a crash.', () =>
      [...m.restarts].map(([id, value]) => ({ labels: { plugin_id: id }, value })),
    );
    counter('jovian_plugin_activations_total', 'Activations of each plugin, by outcome (ready, error).', () =>
      [...m.activations.entries()].map(({ labels, cell }) => ({ labels: { ...labels }, value: cell.count })),
    );
    histogram(
      'jovian_plugin_activation_duration_seconds',
      'How long activations took (loading plus activate()), by plugin and outcome.',
      m.activations,
    );
    histogram(
      'jovian_hook_tap_duration_seconds',
      "How long each plugin's tap of each hook took; its count is the number of hook calls it served.",
      m.hookTaps,
    );
    histogram(
      'jovian_plugin_call_duration_seconds',
      'How long calls into each plugin took, by kind (run, command, route, panel, api).',
      m.calls,
    );
    histogram(
      'jovian_rpc_call_duration_seconds',
      'How long calls from the host into isolated plugins took, by runtime.',
      m.rpc,
    );
    counter('jovian_events_published_total', 'Events published on the event bus.', () => [
      { labels: {}, value: snapshot().events.published },
    ]);
    counter('jovian_events_delivered_total', 'Event deliveries queued for subscribers.', () => [
      { labels: {}, value: snapshot().events.delivered },
    ]);
    counter(
      'jovian_events_dropped_total',
      "Event deliveries dropped because a subscriber's queue was full.",
      () => [{ labels: {}, value: snapshot().events.dropped }],
    );
    gauge('jovian_jobs', 'Jobs in each state now.', () =>
      Object.entries(m.jobs.byState()).map(([state, value]) => ({ labels: { state }, value })),
    );
    counter('jovian_job_transitions_total', 'Jobs that entered each state, by plugin and handler.', () =>
      [...m.jobs.transitions.values()].map(({ labels, count }) => ({ labels: { ...labels }, value: count })),
    );
    histogram(
      'jovian_job_duration_seconds',
      'How long finished jobs ran, by plugin, handler and outcome.',
      m.jobs.durations,
    );
    gauge(
      'jovian_plugin_metric',
      "Each value of a plugin's own metrics(), collected on an interval, by plugin and metric name.",
      () =>
        [...m.pluginValues()].flatMap(([id, { values }]) =>
          Object.entries(values).map(([metric, value]) => ({ labels: { plugin_id: id, metric }, value })),
        ),
    );
    return registry;
  }
}

/**
 * A metric whose values are read from HostMetrics at each scrape. prom-client's registry reads only
 * `name` and `get()` of what it holds (its typings list its own classes, hence the cast); its Histogram
 * cannot be fed pre-counted buckets, and counting them here keeps recording allocation-free.
 */
function custom(name: string, help: string, type: string, read: () => Value[]): never {
  const get = async () => ({ name, help, type, aggregator: 'sum', values: read() });
  return { name, help, type, aggregator: 'sum', get, reset: () => undefined } as never;
}

function histogramValues<L extends string>(name: string, cells: LatencyCells<L>): Value[] {
  const values: Value[] = [];
  for (const { labels, cell } of cells.entries()) {
    let cumulative = 0;
    for (let i = 0; i < cell.buckets.length; i++) {
      cumulative += cell.buckets[i]!;
      const le = i < LATENCY_BUCKETS_S.length ? LATENCY_BUCKETS_S[i]! : '+Inf';
      values.push({ labels: { ...labels, le }, value: cumulative, metricName: `${name}_bucket` });
    }
    values.push({ labels: { ...labels }, value: cell.sumMs / 1000, metricName: `${name}_sum` });
    values.push({ labels: { ...labels }, value: cell.count, metricName: `${name}_count` });
  }
  return values;
}
