import type { HostMetrics } from '../observability/index.js';
import type { PluginRecord } from './plugin-record.js';

/** What the collector needs from the host. */
export interface MetricsCollectorHost {
  readonly metrics: HostMetrics;
  records(): readonly PluginRecord[];
  /** The plugin's own metrics() if it declares them and is active; null otherwise. Never activates it. */
  readMetrics(record: PluginRecord): Promise<Readonly<Record<string, number>> | null>;
  log(record: PluginRecord, message: string): void;
}

/**
 * Reads the own `metrics()` of every plugin that declares `contributes.metrics`, each on its interval
 * (`contributes.metrics.interval_ms`, else jovian.yaml's `metrics.interval_ms`), and keeps the values
 * in HostMetrics (served as `jovian_plugin_metric{plugin_id,metric}`). A plugin that is not active is
 * skipped and its values dropped: collecting never activates a plugin and never keeps one awake.
 * Timers are unref'd: they never keep the process alive.
 */
export class PluginMetricsCollector {
  readonly #host: MetricsCollectorHost;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #reading = new Set<string>();

  constructor(host: MetricsCollectorHost) {
    this.#host = host;
  }

  start(defaultIntervalMs: number): void {
    this.stop();
    for (const record of this.#host.records()) {
      const declared = record.manifest?.contributes.metrics;
      if (!declared?.enabled || record.category === 'core') continue;
      const every = declared.interval_ms ?? defaultIntervalMs;
      const timer = setInterval(() => void this.collect(record), every);
      timer.unref();
      this.#timers.set(record.id, timer);
    }
  }

  /** Reads one plugin now (the interval calls it); a read still in flight is not started twice. */
  async collect(record: PluginRecord): Promise<void> {
    if (this.#reading.has(record.id)) return;
    if (record.state !== 'ready' || !record.active) {
      this.#host.metrics.setPluginValues(record.id, null);
      return;
    }
    this.#reading.add(record.id);
    try {
      this.#host.metrics.setPluginValues(record.id, await this.#host.readMetrics(record));
    } catch (error) {
      this.#host.metrics.setPluginValues(record.id, null);
      this.#host.log(record, `metrics() could not be collected: ${(error as Error).message}`);
    } finally {
      this.#reading.delete(record.id);
    }
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearInterval(timer);
    this.#timers.clear();
  }
}
