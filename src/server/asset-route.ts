import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { containedFile } from './contained-file.js';
import { contentTypeOf } from './content-types.js';
import { sendError } from './http-errors.js';
import { webFolderOf } from './plugin-web.js';

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
      const refuse = () =>
        new JovianError(
          'JOVIAN_E_SERVER_NOT_FOUND',
          `\`${asked}\` is not an asset of plugin \`${record.id}\``,
          {
            hint: "assets are the files of the plugin's web/ folder; paths cannot leave it",
          },
        );
      const web = webFolderOf(record);
      const file = web === undefined ? undefined : await containedFile(web, asked);
      if (file === undefined) throw refuse();
      return reply
        .type(contentTypeOf(file))
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(file));
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
