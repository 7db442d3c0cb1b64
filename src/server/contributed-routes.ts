import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { sendError } from './http-errors.js';

/**
 * Routes plugins contribute, under `/api/x/<id>/…`: the host matches the manifest's declared routes,
 * activates the plugin on its first call (`onRoute:<path>`) and passes the request as plain data. A
 * plugin answers with a value (sent as JSON) or `{ status, headers, body }`.
 */
export function contributedRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/x/:id/*',
    handler: async (request: FastifyRequest<{ Params: { id: string; '*': string } }>, reply) => {
      try {
        const answer = await host.invokeRoute(request.params.id, {
          method: request.method,
          path: `/${request.params['*']}`,
          params: {},
          query: Object.fromEntries(
            Object.entries((request.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
          ),
          body: request.body ?? null,
        });
        if (isResponse(answer)) {
          return reply
            .code(answer.status ?? 200)
            .headers(answer.headers ?? {})
            .send(answer.body ?? null);
        }
        return reply.send(answer ?? null);
      } catch (error) {
        return sendError(reply, error);
      }
    },
  });
}

function isResponse(
  value: unknown,
): value is { status?: number; headers?: Record<string, string>; body?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    typeof (value as { status: unknown }).status === 'number'
  );
}
