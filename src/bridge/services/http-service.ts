import type { IncomingMessage } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls, HttpResponse } from '../../runtimes/index.js';
import {
  decideNetwork,
  hostPortOf,
  isPrivateAddress,
  namesExplicitly,
  permissionDenied,
} from '../../security/index.js';
import type { ServiceScope } from './service-scope.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * `ctx.http.fetch`, the network broker: each hop (the first request and every redirect, followed by
 * hand) is checked against network_outbound, its host is resolved once and the connection goes to that
 * pinned address — refused when it is loopback, private or link-local unless the grant names the host
 * explicitly — and the whole exchange has a deadline and a size cap.
 */
export function createHttpService(scope: ServiceScope): Pick<Handlers<HostCalls>, 'http.fetch'> {
  return {
    'http.fetch': async (url, request) => {
      const deadline =
        Date.now() + Math.min(Math.max(1, request.timeoutMs ?? DEFAULT_TIMEOUT_MS), MAX_TIMEOUT_MS);
      let current = parseUrl(url, scope.pluginId);
      let method = (request.method ?? 'GET').toUpperCase();
      let body = request.body;
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const address = await authorise(scope, current, hop);
        const response = await send(
          current,
          address,
          method,
          request.headers ?? {},
          body,
          deadline,
          scope.pluginId,
        );
        const location = response.headers.location;
        if (!REDIRECTS.has(response.status) || !location) return response;
        current = parseUrl(new URL(location, current).href, scope.pluginId);
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
        }
      }
      throw new JovianError(
        'JOVIAN_E_HTTP_FAILED',
        `plugin \`${scope.pluginId}\`: more than ${MAX_REDIRECTS} redirects from ${url}`,
      );
    },
  };
}

function parseUrl(url: string, pluginId: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new JovianError(
      'JOVIAN_E_HTTP_FAILED',
      `plugin \`${pluginId}\` passed an invalid URL: ${JSON.stringify(url)}`,
    );
  }
}

/** Checks one hop and returns the address to connect to. */
async function authorise(
  scope: ServiceScope,
  url: URL,
  hop: number,
): Promise<{ address: string; family: number }> {
  const grant = scope.permissions.network_outbound;
  const decision = decideNetwork(grant, url);
  const audit = (allowed: boolean, reason: string) =>
    scope.audit.record({
      plugin: scope.pluginId,
      action: 'http.fetch',
      target: url.href,
      decision: allowed ? 'allow' : 'deny',
      permission: 'network_outbound',
      reason: hop > 0 ? `redirect hop ${hop}: ${reason}` : reason,
    });
  const { host, port } = hostPortOf(url);
  if (!decision.allowed) {
    audit(false, decision.reason);
    throw permissionDenied(
      decision,
      scope.pluginId,
      hop > 0 ? `follow a redirect to` : 'fetch',
      `${host}:${port}`,
    );
  }
  let resolved: { address: string; family: number };
  if (isIP(host)) resolved = { address: host, family: isIP(host) };
  else {
    try {
      const { lookup } = await import('node:dns/promises');
      const all = await lookup(host, { all: true, verbatim: true });
      resolved = all[0]!;
    } catch (error) {
      audit(false, `cannot resolve ${host}`);
      throw new JovianError(
        'JOVIAN_E_HTTP_FAILED',
        `plugin \`${scope.pluginId}\`: cannot resolve ${host}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (isPrivateAddress(resolved.address) && !namesExplicitly(grant, host, port)) {
    const reason = `${host} resolves to ${resolved.address}, a private or loopback address`;
    audit(false, reason);
    throw permissionDenied(
      { ...decision, allowed: false, reason },
      scope.pluginId,
      'fetch',
      `${host}:${port}`,
    );
  }
  audit(true, `${decision.reason}; connecting to ${resolved.address}`);
  return resolved;
}

async function send(
  url: URL,
  pinned: { address: string; family: number },
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array | undefined,
  deadline: number,
  pluginId: string,
): Promise<HttpResponse> {
  const pinnedLookup = ((
    _host: string,
    options: { all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    if (options?.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
  // Loaded on first use: most hosts never make an outbound request.
  const make =
    url.protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
  return new Promise((resolvePromise, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(
        new JovianError(
          'JOVIAN_E_HTTP_TIMEOUT',
          `plugin \`${pluginId}\`: ${url.href} did not answer in time`,
        ),
      );
      return;
    }
    const req = make(url, { method, headers: { ...headers }, lookup: pinnedLookup });
    const timer = setTimeout(
      () =>
        req.destroy(
          new JovianError(
            'JOVIAN_E_HTTP_TIMEOUT',
            `plugin \`${pluginId}\`: ${url.href} did not answer in time`,
          ),
        ),
      remaining,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(
        error instanceof JovianError
          ? error
          : new JovianError(
              'JOVIAN_E_HTTP_FAILED',
              `plugin \`${pluginId}\`: ${method} ${url.href} failed: ${error.message}`,
              { cause: error },
            ),
      );
    });
    req.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy(
            new JovianError(
              'JOVIAN_E_HTTP_TOO_LARGE',
              `plugin \`${pluginId}\`: the response of ${url.href} is larger than ${MAX_BODY_BYTES} bytes`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolvePromise({
          status: response.statusCode ?? 0,
          headers: flat,
          body: new Uint8Array(Buffer.concat(chunks)),
          url: url.href,
        });
      });
      response.on('error', () => undefined);
    });
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : Buffer.from(body));
  });
}
