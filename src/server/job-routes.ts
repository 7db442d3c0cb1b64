import type { FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { JOB_STATES, type JobState } from '../types.js';
import { sendError } from './http-errors.js';

type Filter = { Querystring: { plugin?: string; state?: string; limit?: string } };
type Id = { Params: { id: string } };

/**
 * `/api/jobs…`: the jobs of every plugin (newest first), one job, submitting a job of a handler a
 * plugin declares, cancelling one, and the whole history as NDJSON.
 */
export function jobRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get<Filter>('/api/jobs', async (request, reply) => {
    try {
      const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 1000);
      return { jobs: host.jobs.list({ ...filterOf(request.query), limit }) };
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.get<Filter>('/api/jobs/export', async (request, reply) => {
    try {
      const lines: string[] = [];
      for (const job of host.jobs.each(filterOf(request.query))) lines.push(JSON.stringify(job));
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="jobs.ndjson"')
        .send(lines.length > 0 ? `${lines.join('\n')}\n` : '');
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.get<Id>('/api/jobs/:id', async (request, reply) => {
    try {
      return host.jobs.get(request.params.id);
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.post<{ Body: { plugin?: unknown; name?: unknown; params?: unknown } | null }>(
    '/api/jobs',
    async (request, reply) => {
      try {
        const { plugin, name, params } = request.body ?? {};
        if (typeof plugin !== 'string' || typeof name !== 'string')
          throw new JovianError(
            'JOVIAN_E_SERVER_BAD_REQUEST',
            'the body must be { "plugin", "name", "params"? }',
            {
              hint: 'send JSON such as {"plugin": "reports", "name": "build", "params": {}}',
            },
          );
        return await host.jobs.submit(plugin, name, params ?? null, 'api');
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  server.delete<Id>('/api/jobs/:id', async (request, reply) => {
    try {
      return host.jobs.cancel(request.params.id);
    } catch (error) {
      return sendError(reply, error);
    }
  });
}

function filterOf(query: { plugin?: string; state?: string }): { plugin?: string; state?: JobState } {
  const state = query.state;
  if (state !== undefined && !(JOB_STATES as readonly string[]).includes(state))
    throw new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', `unknown job state \`${state}\``, {
      hint: `use one of ${JOB_STATES.join(', ')}`,
    });
  return {
    ...(query.plugin ? { plugin: query.plugin } : {}),
    ...(state ? { state: state as JobState } : {}),
  };
}
