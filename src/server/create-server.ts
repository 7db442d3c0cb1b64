import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ChatHooks, PluginHost } from '../host/index.js';
import { requireToken } from './auth.js';
import { configRoutes } from './config-routes.js';
import { contributedRoutes } from './contributed-routes.js';
import { eventsSocket, WEBSOCKET_OPTIONS } from './events-socket.js';
import { hostRoutes } from './host-routes.js';
import { metricsRoute } from './metrics-route.js';
import { pluginRoutes } from './plugin-routes.js';
import { loadOrCreateToken } from './server-token.js';

export interface ServerOptions {
  /** The started host the server exposes. */
  readonly host: PluginHost<ChatHooks>;
  /** The token requests must carry; default: the one kept in `<data-dir>/server-token` (created once). */
  readonly token?: string;
}

export interface JovianServer {
  readonly app: FastifyInstance;
  readonly token: string;
}

/**
 * The HTTP API of a host (docs/server.md): the plugin registry and its actions, logs, health and the
 * chat pipeline, every `/api` route behind the token. Listening is the caller's business (`listen`), so
 * tests can use `app.inject()` without a port.
 */
export async function createServer(options: ServerOptions): Promise<JovianServer> {
  const token = options.token ?? (await loadOrCreateToken(options.host.config.dataDir));
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await app.register(websocket, WEBSOCKET_OPTIONS);
  requireToken(app, token);
  pluginRoutes(app, options.host);
  configRoutes(app, options.host);
  hostRoutes(app, options.host);
  eventsSocket(app, options.host);
  contributedRoutes(app, options.host);
  metricsRoute(app, options.host);
  return { app, token };
}
