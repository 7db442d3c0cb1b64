import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { sendError } from './http-errors.js';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * `GET /plugins/:id/assets/<path>`: a file of the plugin's `web/` folder (its panels, widgets, i18n),
 * behind the token. The path cannot leave `web/`: `..` segments (raw or percent-encoded), absolute
 * paths, and symbolic links that lead outside are refused with a 404 that says why.
 */
export function assetRoute(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get<{ Params: { id: string; '*': string } }>('/plugins/:id/assets/*', async (request, reply) => {
    try {
      const record = host.require(request.params.id);
      const asked = request.params['*'];
      const web = join(record.dir, 'web');
      const refuse = () =>
        new JovianError(
          'JOVIAN_E_SERVER_NOT_FOUND',
          `\`${asked}\` is not an asset of plugin \`${record.id}\``,
          {
            hint: "assets are the files of the plugin's web/ folder; paths cannot leave it",
          },
        );
      if (record.kind !== 'manifest' || record.file.endsWith('.lua')) throw refuse();
      const segments = asked.split(/[/\\]/);
      if (asked === '' || segments.some((s) => s === '..' || s === '.') || isAbsolute(asked)) throw refuse();
      const root = await realpath(web).catch(() => undefined);
      const file = await realpath(join(web, ...segments)).catch(() => undefined);
      if (root === undefined || file === undefined) throw refuse();
      const inside = relative(root, file);
      if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
        throw refuse();
      if (!(await stat(file)).isFile()) throw refuse();
      return reply
        .type(TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(file));
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
