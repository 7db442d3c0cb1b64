import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JovianError } from '../errors.js';
import { sendError } from './http-errors.js';
import { tokenMatches } from './server-token.js';

/** The cookie the login URL sets: HttpOnly, SameSite=Strict, valid for the server's path only. */
export const TOKEN_COOKIE = 'jovian_token';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * What needs the token: the API (WebSocket included), metrics and plugins' web assets. The WebUI's own
 * pages and files (`/`, `/assets/…`, client-side routes such as `/plugins/<id>`) are static and do not.
 */
const GUARDED = /^\/(api|metrics)|^\/plugins\/[^/?]+\/assets\//;

/**
 * Every `/api` route (the WebSocket included), `/metrics` and plugin assets need the token: `Authorization: Bearer <token>`, or the
 * cookie set by `/login?token=…` (as Jupyter does). A request that changes state and comes from a page
 * of another origin is refused even with the cookie (the browser would send it along).
 */
export function requireToken(server: FastifyInstance, token: string): void {
  server.addHook('onRequest', async (request, reply) => {
    if (!GUARDED.test(request.url)) return;
    if (!tokenMatches(presentedToken(request), token)) {
      return sendError(
        reply,
        new JovianError('JOVIAN_E_SERVER_UNAUTHORIZED', 'this request carries no valid token', {
          hint: 'open the login URL `jovian serve` printed, or send `Authorization: Bearer <token>` (the token is in <data-dir>/server-token)',
        }),
      );
    }
    if (STATE_CHANGING.has(request.method) && !sameOrigin(request)) {
      return sendError(
        reply,
        new JovianError(
          'JOVIAN_E_SERVER_ORIGIN_REFUSED',
          `a ${request.method} from origin ${request.headers.origin} is refused: it is not this server's`,
          { hint: 'call the API from the Jovian UI itself, or from a client that sends no Origin header' },
        ),
      );
    }
    return undefined;
  });

  server.get('/login', async (request: FastifyRequest<{ Querystring: { token?: string } }>, reply) => {
    if (!tokenMatches(request.query.token, token)) {
      return sendError(
        reply,
        new JovianError('JOVIAN_E_SERVER_UNAUTHORIZED', 'this login link carries no valid token', {
          hint: 'use the login URL `jovian serve` printed at start',
        }),
      );
    }
    return reply
      .header('set-cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`)
      .redirect('/', 303);
  });
}

function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return cookie(request.headers.cookie, TOKEN_COOKIE);
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** No Origin header (a script, curl), or one naming this very server (`Host`). */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
