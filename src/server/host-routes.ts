import type { FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import { type ChatHooks, ChatPipeline, hostHealth, type PluginHost } from '../host/index.js';
import { sendError } from './http-errors.js';

/**
 * `/api/health` (the host and every plugin with its last health check: `ok`, or `degraded` with the
 * system plugins that are down or failing their checks)
 * and `/api/chat` (a message or a `/command` through the chat hooks, with what each plugin did).
 */
export function hostRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get('/api/health', async () => hostHealth(host.records()));

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
