import type { FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import type { ApiPluginMetrics } from './api-types.js';
import { sendError } from './http-errors.js';
import { LOCALE, pluginMessages } from './plugin-messages.js';
import { uiContributions } from './ui-contributions.js';

/**
 * What the WebUI needs to mount plugins' panels and widgets (docs/server.md, "Panels, widgets and plugin
 * messages"): what they contribute (`/api/ui`), their messages (`/api/i18n/:locale`), the calls a
 * panel makes to its plugin (`…/panels/:panel`, which activates it) and the plugin's own metrics
 * (which never activate it).
 */
export function uiRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  server.get('/api/ui', async () => uiContributions(host.records()));

  server.get<{ Params: { locale: string } }>('/api/i18n/:locale', async (request, reply) => {
    try {
      const { locale } = request.params;
      if (!LOCALE.test(locale))
        throw new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', `\`${locale}\` is not a locale`, {
          hint: 'name a language, optionally with its region: `en`, `fr`, `pt-BR`',
        });
      return await pluginMessages(host.records(), locale);
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.post<{ Params: { id: string; panel: string } }>(
    '/api/plugins/:id/panels/:panel',
    async (request, reply) => {
      try {
        const { id, panel } = request.params;
        return { data: (await host.invokePanel(id, panel, request.body ?? null)) ?? null };
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  server.get<{ Params: { id: string } }>('/api/plugins/:id/metrics', async (request, reply) => {
    try {
      const record = host.require(request.params.id);
      const values = await host.readMetrics(record.id);
      const answer: ApiPluginMetrics = {
        id: record.id,
        declared: record.manifest?.contributes.metrics.enabled ?? false,
        values,
        at: new Date().toISOString(),
      };
      return answer;
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
