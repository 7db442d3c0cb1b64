import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JovianError } from '../errors.js';
import { containedFile } from './contained-file.js';
import { contentTypeOf } from './content-types.js';
import { sendError } from './http-errors.js';

/** Vite names every file of assets/ after its content's hash: a new build means new names. */
const FOREVER = 'public, max-age=31536000, immutable';
/** index.html names the current build's assets: the browser asks again each time (a 304 is cheap). */
const ALWAYS_CHECK = 'no-cache';
/** The few other files at the root of the build (the icon). */
const A_DAY = 'public, max-age=86400';

/**
 * What the page may do: load its own scripts, styles and images, call its own server (the API and the
 * events socket), and nothing else; no other site may frame it. The UI needs no inline script or style.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The WebUI (the built `web/`, in `dist/web/`), for anyone who can reach the server: it is static and
 * holds no secret; everything it shows comes from `/api`, behind the token.
 * - `GET /` and any other GET outside `/api` that is not a file of the build (client-side routes such
 *   as `/plugins/<id>`) answer index.html, through `serveWebUiFallback` in the not-found handler;
 * - `GET /assets/<file>` answers a file of the build's assets/, cached for a year (hashed names);
 *   a file that is not there is a JSON 404, not the page.
 */
export function webUiRoutes(server: FastifyInstance, webDir: string): void {
  server.get('/', (_request, reply) => sendIndex(reply, webDir));
  server.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    const file = await containedFile(join(webDir, 'assets'), request.params['*']);
    if (file === undefined) return sendError(reply, notAFile(request.url));
    return sendFile(reply, file, FOREVER);
  });
}

/**
 * For the not-found handler: answers a GET outside `/api` and `/metrics` with a file at the root of the
 * build, or else index.html (the UI shows the page the path names). Returns false for any other request,
 * which stays an error in the API's shape.
 */
export async function serveWebUiFallback(
  request: FastifyRequest,
  reply: FastifyReply,
  webDir: string,
): Promise<boolean> {
  const path = request.url.split('?')[0] ?? '/';
  if (request.method !== 'GET' || isApiPath(path)) return false;
  let asked: string;
  try {
    asked = decodeURIComponent(path.slice(1));
  } catch {
    return false;
  }
  const file = asked === 'index.html' ? undefined : await containedFile(webDir, asked).catch(() => undefined);
  if (file !== undefined) await sendFile(reply, file, A_DAY);
  else await sendIndex(reply, webDir);
  return true;
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/metrics';
}

async function sendIndex(reply: FastifyReply, webDir: string): Promise<FastifyReply> {
  const html = await readFile(join(webDir, 'index.html'), 'utf8').catch(() => undefined);
  if (html === undefined)
    return sendError(
      reply,
      new JovianError('JOVIAN_E_SERVER_NOT_FOUND', `the WebUI is not built (no index.html in ${webDir})`, {
        hint: 'build Jovian first (npm run build); the API under /api works without it',
      }),
    );
  return reply
    .headers({ ...PAGE_HEADERS, 'cache-control': ALWAYS_CHECK })
    .type('text/html; charset=utf-8')
    .send(html);
}

function sendFile(reply: FastifyReply, file: string, cacheControl: string): FastifyReply {
  return reply
    .headers({ 'x-content-type-options': 'nosniff', 'cache-control': cacheControl })
    .type(contentTypeOf(file))
    .send(createReadStream(file));
}

function notAFile(url: string): JovianError {
  return new JovianError('JOVIAN_E_SERVER_NOT_FOUND', `${url.split('?')[0]} is not a file of the WebUI`, {
    hint: 'the page may come from an older build: reload it',
  });
}
