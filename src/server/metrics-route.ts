import type { FastifyInstance } from 'fastify';
import { type ChatHooks, JOVIAN_VERSION, type PluginHost } from '../host/index.js';
import { PLUGIN_STATES } from '../types.js';

/**
 * `GET /metrics` in the Prometheus text format: how many plugins are in each state, and each plugin's
 * failures and breaker. A first set; per-hook latencies and job metrics come with the metrics registry.
 */
export function metricsRoute(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get('/metrics', async (_request, reply) => {
    const plugins = host.records().filter((r) => r.category !== 'core');
    const lines = [
      '# HELP jovian_info Jovian version.',
      '# TYPE jovian_info gauge',
      `jovian_info{version="${JOVIAN_VERSION}"} 1`,
      '# HELP jovian_plugins Plugins by lifecycle state.',
      '# TYPE jovian_plugins gauge',
      ...PLUGIN_STATES.map(
        (state) => `jovian_plugins{state="${state}"} ${plugins.filter((r) => r.state === state).length}`,
      ),
      '# HELP jovian_plugin_failures_total Failures charged to each plugin (taps, handlers, calls).',
      '# TYPE jovian_plugin_failures_total counter',
      ...plugins.map((r) => `jovian_plugin_failures_total{plugin_id="${r.id}"} ${r.failures}`),
      "# HELP jovian_plugin_breaker_open Whether each plugin's circuit breaker is open (1) or not (0).",
      '# TYPE jovian_plugin_breaker_open gauge',
      ...plugins.map(
        (r) =>
          `jovian_plugin_breaker_open{plugin_id="${r.id}"} ${r.health?.breaker.state(Date.now()) === 'open' ? 1 : 0}`,
      ),
    ];
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
  });
}
