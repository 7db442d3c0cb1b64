import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { packageRoot } from '../runtimes/index.js';
import { assetRoute } from './asset-route.js';
import { auditRoutes } from './audit-routes.js';
import { requireToken } from './auth.js';
import { configRoutes } from './config-routes.js';
import { contributedRoutes } from './contributed-routes.js';
import { eventsSocket, WEBSOCKET_OPTIONS } from './events-socket.js';
import { hostRoutes } from './host-routes.js';
import { sendError } from './http-errors.js';
import { jobRoutes } from './job-routes.js';
import { metricsRoute } from './metrics-route.js';
import { openApiRoute } from './openapi.js';
import { packageRoutes } from './package-routes.js';
import { pluginRoutes } from './plugin-routes.js';
import { loadOrCreateToken } from './server-token.js';
import { uiRoutes } from './ui-routes.js';
import { serveWebUiFallback, webUiRoutes } from './web-ui.js';

export interface ServerOptions {
  /** The started host the server exposes. */
  readonly host: PluginHost<ChatHooks>;
  /** The token requests must carry; default: the one kept in `<data-dir>/server-token` (created once). */
  readonly token?: string;
  /** The built WebUI (index.html, assets/); default: `dist/web` of the jovian package. */
  readonly webDir?: string;
}

export interface JovianServer {
  readonly app: FastifyInstance;
  readonly token: string;
  /** Every route served, as `METHOD /path` (`:param`, `*`): what /api/docs must describe. */
  readonly routes: readonly string[];
}

/**
 * The HTTP API of a host (docs/server.md): the plugin registry and its actions, logs, health and the
 * chat pipeline, every `/api` route behind the token; and the WebUI that uses it (static, no token). Listening is the caller's business (`listen`), so
 * tests can use `app.inject()` without a port.
 */
export async function createServer(options: ServerOptions): Promise<JovianServer> {
  const token = options.token ?? (await loadOrCreateToken(options.host.config.dataDir));
  const webDir = options.webDir ?? join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'dist', 'web');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  await app.register(websocket, WEBSOCKET_OPTIONS);
  answerErrorsAsJovian(app, webDir);
  requireToken(app, token);
  pluginRoutes(app, options.host);
  packageRoutes(app, options.host);
  configRoutes(app, options.host);
  hostRoutes(app, options.host);
  auditRoutes(app, options.host);
  jobRoutes(app, options.host);
  eventsSocket(app, options.host);
  contributedRoutes(app, options.host);
  uiRoutes(app, options.host);
  metricsRoute(app, options.host);
  assetRoute(app, options.host);
  openApiRoute(app);
  webUiRoutes(app, webDir);
  return { app, token, routes };
}

/**
 * Unknown routes and malformed requests answer in the API's error shape, with a code and a hint; a GET
 * outside `/api` is a page of the WebUI (its client-side routes) and answers index.html.
 */
function answerErrorsAsJovian(app: FastifyInstance, webDir: string): void {
  app.setNotFoundHandler(async (request, reply) => {
    if (await serveWebUiFallback(request, reply, webDir)) return reply;
    return sendError(
      reply,
      new JovianError(
        'JOVIAN_E_SERVER_NOT_FOUND',
        `no route ${request.method} ${request.url.split('?')[0]}`,
        {
          hint: 'see docs/server.md for the routes',
        },
      ),
    );
  });
  app.setErrorHandler((error: FastifyError, _request, reply) =>
    sendError(
      reply,
      (error.statusCode ?? 500) < 500
        ? new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', error.message, {
            hint: 'send JSON that matches the route (docs/server.md)',
          })
        : error,
    ),
  );
}
