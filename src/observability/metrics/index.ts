export {
  type CallKind,
  HostMetrics,
  type HostMetricsSnapshot,
  JobMetrics,
  type PluginMetricsSnapshot,
  type PluginUsage,
  type PluginValues,
} from './host-metrics.js';
export { LATENCY_BUCKETS_S, LatencyCell, LatencyCells } from './latency-cell.js';
export { type MetricJson, PrometheusExport } from './prometheus-export.js';
