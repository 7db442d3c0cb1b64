import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConfigIssue } from '../config/index.js';
import { errorToData, JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import type { ApiPluginConfig } from './api-types.js';
import { sendError } from './http-errors.js';

type ConfigRequest = {
  Params: { id: string };
  Querystring: { dry_run?: string };
  Body: { values?: unknown };
};

/**
 * `GET /api/plugins/:id/config`: the effective config, the file it lives in and the plugin's
 * `config_schema.schema` (null when it declares none), from which the WebUI builds its form. `PUT` with
 * `{ values: { key: value, … } }` validates the keys together and writes them (comments kept, atomic);
 * with `?dry_run=1` it only answers what would change. Refusals list each problem with a JSON pointer.
 */
export function configRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get<{ Params: { id: string } }>('/api/plugins/:id/config', async (request, reply) => {
    try {
      await host.load();
      const record = host.require(request.params.id);
      const view = await host.plugins.stores.view(record);
      const answer: ApiPluginConfig = {
        file: view.file,
        // Without a key, get() answers the whole config, always a mapping.
        values: view.get() as Record<string, unknown>,
        schema: record.manifest?.config_schema.schema ?? null,
      };
      return answer;
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.put<ConfigRequest>('/api/plugins/:id/config', async (request, reply) => {
    try {
      const values = request.body?.values;
      if (typeof values !== 'object' || values === null || Array.isArray(values))
        throw new JovianError(
          'JOVIAN_E_SERVER_BAD_REQUEST',
          'the body must be { "values": { "<key>": <value>, … } }',
          {
            hint: 'send the keys to change; dotted keys (`limits.max`) reach nested values',
          },
        );
      const patch = values as Record<string, unknown>;
      const view = await host.plugins.stores.view(host.require(request.params.id));
      const preview = await view.preview(patch);
      if (preview.issues.length > 0) return refused(reply, preview.issues);
      if (request.query.dry_run === '1' || request.query.dry_run === 'true')
        return { dryRun: true, changes: preview.changes };
      await view.update(patch);
      return { dryRun: false, changes: preview.changes, file: view.file, values: view.get() };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}

function refused(reply: FastifyReply, issues: readonly ConfigIssue[]): FastifyReply {
  const first = issues[0]!;
  const data = errorToData(new JovianError(first.code, `\`${first.key}\` ${first.rule}`));
  return reply.code(400).send({
    error: {
      code: data.code,
      message: data.message,
      hint: "the plugin's config_schema says what is allowed",
      where: null,
    },
    issues: issues.map((issue) => ({
      pointer: pointerOf(issue.key),
      key: issue.key,
      kind: issue.kind,
      message: `\`${issue.key}\` ${issue.rule}`,
      code: issue.code,
    })),
  });
}

/** A JSON pointer for a dotted key: `limits.max` → `/limits/max` (RFC 6901 escaping). */
function pointerOf(key: string): string {
  return `/${key
    .split('.')
    .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
}
