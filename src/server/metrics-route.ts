import type { FastifyInstance } from 'fastify';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { PrometheusExport } from '../observability/index.js';
import type { ApiMetrics } from './api-types.js';

/**
 * `GET /metrics` (Prometheus text format) and `GET /api/metrics` (the same metrics as JSON), both
 * behind the token: the host's metrics (docs/observability.md) and the plugins' own `metrics()`, as
 * last collected. prom-client is loaded on the first request.
 */
export function metricsRoute(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  const exported = new PrometheusExport(host.metrics);
  server.get('/metrics', async (_request, reply) =>
    reply.type(exported.contentType).send(await exported.text()),
  );
  server.get(
    '/api/metrics',
    async (): Promise<ApiMetrics> => ({
      at: new Date().toISOString(),
      metrics: await exported.json(),
    }),
  );
}
