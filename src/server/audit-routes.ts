import type { FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import type { ApiAuditList } from './api-types.js';
import { sendError } from './http-errors.js';

type AuditRequest = {
  Querystring: { plugin?: string; action?: string; decision?: string; limit?: string };
};

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

/**
 * `GET /api/audit?plugin=&action=&decision=&limit=`: the latest audit records matching (default 100,
 * at most 1000), oldest first, with their hashes — every process's records, read from the database.
 */
export function auditRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get<AuditRequest>('/api/audit', async (request, reply) => {
    try {
      const { plugin, action, decision, limit } = request.query;
      if (decision !== undefined && decision !== 'allow' && decision !== 'deny')
        throw badRequest(`\`decision\` must be \`allow\` or \`deny\`, not \`${decision}\``);
      const count = limit === undefined ? DEFAULT_LIMIT : Number(limit);
      if (!Number.isInteger(count) || count < 1 || count > MAX_LIMIT)
        throw badRequest(`\`limit\` must be a whole number from 1 to ${MAX_LIMIT}, not \`${limit}\``);
      const answer: ApiAuditList = {
        records: readRecords(host, {
          plugin: plugin || undefined,
          action: action || undefined,
          decision,
          limit: count,
        }),
      };
      return answer;
    } catch (error) {
      return sendError(reply, error);
    }
  });
}

function readRecords(host: PluginHost<ChatHooks>, query: Parameters<PluginHost['audit']['query']>[0]) {
  try {
    return host.audit.query(query);
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_AUDIT_UNREADABLE',
      `cannot read the audit log ${host.audit.file ?? ''}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function badRequest(message: string): JovianError {
  return new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', message, {
    hint: 'for example: /api/audit?plugin=notes&decision=deny&limit=50',
  });
}
