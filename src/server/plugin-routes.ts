import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { FastifyInstance } from 'fastify';
import { dataDirLayout } from '../config/index.js';
import { JovianError } from '../errors.js';
import { type ChatHooks, describePlugin, type PluginHost, summarize } from '../host/index.js';
import type { LogLevel } from '../observability/index.js';
import { sendError } from './http-errors.js';

type Id = { Params: { id: string } };
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

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

  const actions: Record<string, (id: string) => Promise<unknown>> = {
    enable: (id) => host.enable(id),
    disable: (id) => host.disable(id),
    reload: (id) => host.reload(id),
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
      const file = join(dataDirLayout(host.config.dataDir).logsDir, 'jovian.log');
      const mine = `"plugin":${JSON.stringify(id)}`;
      const lines: string[] = [];
      if (
        await stat(file).then(
          (found) => found.isFile(),
          () => false, // no log file yet: an empty download
        )
      ) {
        const input = createReadStream(file, { encoding: 'utf8' });
        for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }))
          if (line.includes(mine)) lines.push(line);
      }
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${id}.log.ndjson"`)
        .send(lines.length > 0 ? `${lines.join('\n')}\n` : '');
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

  server.get<Id & { Querystring: { tail?: string; level?: string } }>(
    '/api/plugins/:id/logs',
    async (request, reply) => {
      try {
        const id = host.require(request.params.id).id;
        const tail = Math.min(Math.max(Number(request.query.tail ?? 100) || 100, 1), 1000);
        const level = request.query.level as LogLevel | undefined;
        if (level !== undefined && !LEVELS.includes(level))
          throw new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', `unknown log level \`${level}\``, {
            hint: `use one of ${LEVELS.join(', ')}`,
          });
        const floor = level === undefined ? 0 : LEVELS.indexOf(level);
        const lines = host.logs.tail(id).filter((line) => LEVELS.indexOf(line.level) >= floor);
        return { lines: lines.slice(Math.max(0, lines.length - tail)) };
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );
}
