import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { dataDirLayout } from '../config/index.js';
import { JovianError } from '../errors.js';
import { type ChatHooks, describePlugin, type PluginHost, summarize } from '../host/index.js';
import {
  isLogLevel,
  LOG_LEVELS,
  type LogLevel,
  pluginLogFiles,
  readPluginLog,
} from '../observability/index.js';
import { sendError } from './http-errors.js';

type Id = { Params: { id: string } };

/** `/api/plugins…`: the registry, each plugin's details and logs, and the operator's actions. */
export function pluginRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get('/api/plugins', async () => ({
    plugins: host
      .records()
      .filter((r) => r.category !== 'core')
      .map(summarize),
  }));

  server.get<Id>('/api/plugins/:id', async (request, reply) => {
    try {
      const record = host.require(request.params.id);
      return { ...describePlugin(record), usage: host.metrics.usage(record.id) };
    } catch (error) {
      return sendError(reply, error);
    }
  });

  // Developer mode: `plugins reload` sends it here when a server runs over the data directory.
  server.post<Id>('/api/plugins/:id/reload', async (request, reply) => {
    try {
      return await host.reload(host.require(request.params.id).id);
    } catch (error) {
      return sendError(reply, error);
    }
  });

  const actions: Record<string, (id: string) => Promise<unknown>> = {
    enable: (id) => host.enable(id),
    disable: (id) => host.disable(id),
    restart: async (id) => {
      await host.restart(id);
      return summarize(host.require(id));
    },
  };
  server.post<{ Params: { id: string; action: string } }>(
    '/api/plugins/:id/:action',
    async (request, reply) => {
      const action = actions[request.params.action];
      try {
        if (!action)
          throw new JovianError(
            'JOVIAN_E_SERVER_NOT_FOUND',
            `no action \`${request.params.action}\` on plugins`,
            {
              hint: `actions: ${Object.keys(actions).join(', ')}`,
            },
          );
        host.require(request.params.id);
        return await action(request.params.id);
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  server.get<Id>('/api/plugins/:id/logs/download', async (request, reply) => {
    try {
      const id = host.require(request.params.id).id;
      await host.logs.flush();
      const files = await pluginLogFiles(pluginLogDir(host), id);
      const chunks = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => '')));
      const text = chunks.join('');
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${id}.log.ndjson"`)
        .send(text === '' || text.endsWith('\n') ? text : `${text}\n`);
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.get<Id>('/api/plugins/:id/changelog', async (request, reply) => {
    try {
      const record = host.require(request.params.id);
      const name = record.manifest?.changelog;
      if (!name)
        throw new JovianError('JOVIAN_E_SERVER_NOT_FOUND', `plugin \`${record.id}\` has no changelog`, {
          hint: 'name it in plugin.yaml: `changelog: CHANGELOG.md`',
        });
      const file = resolve(record.dir, name);
      const inside = relative(record.dir, file);
      if (inside.startsWith('..') || isAbsolute(inside))
        throw new JovianError(
          'JOVIAN_E_SERVER_NOT_FOUND',
          `the changelog of \`${record.id}\` is outside its folder`,
          {
            hint: '`changelog` must name a file inside the plugin folder',
          },
        );
      const text = await readFile(file, 'utf8').catch(() => {
        throw new JovianError(
          'JOVIAN_E_SERVER_NOT_FOUND',
          `the changelog of \`${record.id}\` (${name}) cannot be read`,
          {
            hint: 'check `changelog` in plugin.yaml',
          },
        );
      });
      return reply.type('text/markdown; charset=utf-8').send(text);
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.get<Id & { Querystring: { tail?: string; level?: string; q?: string } }>(
    '/api/plugins/:id/logs',
    async (request, reply) => {
      try {
        const id = host.require(request.params.id).id;
        const { tail: rawTail, level, q } = request.query;
        const tail = rawTail === undefined ? 100 : Number(rawTail);
        if (!Number.isInteger(tail) || tail < 1 || tail > 1000)
          throw new JovianError(
            'JOVIAN_E_SERVER_BAD_REQUEST',
            `tail \`${rawTail}\` is not a number of lines`,
            {
              hint: 'give tail as a whole number from 1 to 1000',
            },
          );
        if (level !== undefined && !isLogLevel(level))
          throw new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', `unknown log level \`${level}\``, {
            hint: `use one of ${LOG_LEVELS.join(', ')}`,
          });
        await host.logs.flush();
        return { lines: await readPluginLog(pluginLogDir(host), id, { tail, level, text: q }) };
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  server.get<Id>('/api/plugins/:id/logs/level', async (request, reply) => {
    try {
      return host.logs.levelOf(host.require(request.params.id).id);
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.put<Id & { Body: unknown }>('/api/plugins/:id/logs/level', async (request, reply) => {
    try {
      const id = host.require(request.params.id).id;
      const change = parseLevelChange(id, request.body);
      if (change.level !== undefined) host.logs.setPluginLevel(id, change.level);
      if (change.debugForMs === 0) host.logs.endDebug(id);
      else if (change.debugForMs !== undefined) host.logs.debugFor(id, change.debugForMs);
      host.audit.record({
        plugin: id,
        action: 'plugin.log_level',
        target: id,
        decision: 'allow',
        reason: `requested by the operator: ${JSON.stringify(request.body)}`,
      });
      return host.logs.levelOf(id);
    } catch (error) {
      return sendError(reply, error);
    }
  });
}

/** The body of `PUT /api/plugins/:id/logs/level`. @throws JOVIAN_E_LOG_LEVEL_INVALID */
function parseLevelChange(id: string, body: unknown): { level?: LogLevel | null; debugForMs?: number } {
  const where = `PUT /api/plugins/${id}/logs/level`;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new JovianError('JOVIAN_E_LOG_LEVEL_INVALID', `${where} needs a JSON object body`, {
      hint: 'send { "level": "debug" } or { "debug_for_ms": 600000 }',
    });
  const { level, debug_for_ms: debugForMs, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0 || (level === undefined && debugForMs === undefined))
    throw new JovianError(
      'JOVIAN_E_LOG_LEVEL_INVALID',
      unknown.length > 0 ? `${where}: unknown field \`${unknown[0]}\`` : `${where}: nothing to change`,
      { hint: 'fields: level (debug, info, warn, error or null), debug_for_ms (0 ends a debug period)' },
    );
  if (level !== undefined && level !== null && !isLogLevel(level))
    throw new JovianError('JOVIAN_E_LOG_LEVEL_INVALID', `${where}: unknown level \`${String(level)}\``, {
      hint: `use one of ${LOG_LEVELS.join(', ')}, or null to follow the global level`,
    });
  if (debugForMs !== undefined && (!Number.isInteger(debugForMs) || (debugForMs as number) < 0))
    throw new JovianError(
      'JOVIAN_E_LOG_LEVEL_INVALID',
      `${where}: debug_for_ms \`${String(debugForMs)}\` is not a whole number of milliseconds`,
      { hint: 'e.g. 600000 for ten minutes; 0 ends a running debug period' },
    );
  return {
    ...(level === undefined ? {} : { level: level as LogLevel | null }),
    ...(debugForMs === undefined ? {} : { debugForMs: debugForMs as number }),
  };
}

function pluginLogDir(host: PluginHost<ChatHooks>): string {
  return dataDirLayout(host.config.dataDir).pluginLogsDir;
}
