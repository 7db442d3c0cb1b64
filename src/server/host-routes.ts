import type { FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import { type ChatHooks, ChatPipeline, JOVIAN_VERSION, type PluginHost } from '../host/index.js';
import { sendError } from './http-errors.js';

/**
 * `/api/health` (the host and every plugin: `ok`, or `degraded` with the system plugins that are down)
 * and `/api/chat` (a message or a `/command` through the chat hooks, with what each plugin did).
 */
export function hostRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get('/api/health', async () => {
    const plugins = host.records().filter((r) => r.category !== 'core');
    const down = plugins.filter(
      (r) => r.category === 'system' && (r.state === 'error' || r.state === 'blocked'),
    );
    return {
      status: down.length === 0 ? 'ok' : 'degraded',
      version: JOVIAN_VERSION,
      degradedBy: down.map((r) => ({ id: r.id, state: r.state, reason: r.reason ?? null })),
      plugins: Object.fromEntries(plugins.map((r) => [r.id, { state: r.state, reason: r.reason ?? null }])),
    };
  });

  const pipeline = new ChatPipeline(host);
  server.post<{ Body: { message?: unknown } }>('/api/chat', async (request, reply) => {
    const message = request.body?.message;
    if (typeof message !== 'string' || message.trim() === '')
      return sendError(
        reply,
        new JovianError(
          'JOVIAN_E_SERVER_BAD_REQUEST',
          'the body must be { "message": "<text or /command>" }',
          {
            hint: 'send JSON with a non-empty `message` string',
          },
        ),
      );
    return pipeline.send(message);
  });
}
