import { lookup as dnsLookup } from 'node:dns/promises';
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls, HttpRequest, HttpResponse } from '../../runtimes/index.js';
import {
  decideNetwork,
  isExplicitlyGranted,
  isPrivateAddress,
  networkTargetOf,
  permissionDenied,
} from '../../security/index.js';
import { withDeadline } from '../../util/index.js';
import type { ServiceScope } from './service-scope.js';

export interface HttpLimits {
  readonly defaultTimeoutMs: number;
  /** Cap on `request.timeoutMs`; the deadline covers DNS, every hop and reading the body. */
  readonly maxTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
}

export const HTTP_LIMITS: HttpLimits = Object.freeze({
  defaultTimeoutMs: 30_000,
  maxTimeoutMs: 60_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
});

/** An address a host name resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

export interface HttpServiceOptions {
  readonly limits?: Partial<HttpLimits>;
  /** Resolves a host name to all its addresses; default `dns.lookup(host, { all: true })`. */
  readonly resolveHost?: (host: string) => Promise<readonly ResolvedAddress[]>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Set by the broker from the URL and body, never by the plugin. */
const HOST_SET_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
]);
/** Dropped when a redirect leaves the origin, as browsers do. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
}

/**
 * `ctx.http.fetch`, the network broker. Every hop — the first request and each redirect, which the
 * broker follows by hand (at most 5) — is checked again: network_outbound on the URL
 * (`decideNetwork`), then the host is resolved once and every address it resolved to must be public
 * unless the grant names that host explicitly; the connection goes to those pinned addresses (TLS
 * still verifies the host name). Each decision is audited (target: origin and path — never the query
 * or credentials); a refusal throws `JOVIAN_E_PERMISSION_DENIED` naming the hop.
 * One deadline (`request.timeoutMs`, default 30 s, at most 60 s) covers the whole exchange, and a
 * body over 10 MiB is refused. Header names in the response are lowercase; repeated headers are
 * joined with `, `. Credentials headers are dropped on a redirect to another origin.
 * @throws JOVIAN_E_PERMISSION_DENIED, JOVIAN_E_HTTP_FAILED, JOVIAN_E_HTTP_TIMEOUT, JOVIAN_E_HTTP_TOO_LARGE
 */
export function createHttpService(
  scope: ServiceScope,
  options: HttpServiceOptions = {},
): Pick<Handlers<HostCalls>, 'http.fetch'> {
  const limits: HttpLimits = { ...HTTP_LIMITS, ...options.limits };
  const resolveHost = options.resolveHost ?? ((host: string) => dnsLookup(host, { all: true }));
  return {
    'http.fetch': async (url, request: HttpRequest = {}) => {
      const timeoutMs = Math.min(
        Math.max(1, Number(request.timeoutMs ?? limits.defaultTimeoutMs) || limits.defaultTimeoutMs),
        limits.maxTimeoutMs,
      );
      const deadline = Date.now() + timeoutMs;
      const first = parseUrl(url, scope);
      const timeout = () =>
        httpError('JOVIAN_E_HTTP_TIMEOUT', scope, `${shown(first)} did not complete within ${timeoutMs} ms`);
      let hop: Hop = {
        url: first,
        method: String(request.method ?? 'GET').toUpperCase(),
        headers: pluginHeaders(request.headers),
        body: request.body,
      };
      for (let index = 0; ; index++) {
        const check = checkHop(scope, hop.url, index, resolveHost);
        const addresses = await withDeadline(check, Math.max(0, deadline - Date.now()), timeout);
        const response = await send(hop, addresses, deadline, limits.maxBodyBytes, scope, timeout);
        const location = response.headers['location'];
        if (!REDIRECTS.has(response.status) || location === undefined) return response;
        if (index === limits.maxRedirects)
          throw httpError(
            'JOVIAN_E_HTTP_FAILED',
            scope,
            `${shown(first)} redirected more than ${limits.maxRedirects} times`,
          );
        hop = nextHop(hop, response.status, parseUrl(location, scope, hop.url));
      }
    },
  };
}

/** Checks one hop against the grant and DNS, audits the outcome, and returns the addresses to use. */
async function checkHop(
  scope: ServiceScope,
  url: URL,
  hop: number,
  resolveHost: (host: string) => Promise<readonly ResolvedAddress[]>,
): Promise<readonly ResolvedAddress[]> {
  const grant = scope.permissions.network_outbound;
  const where = hop === 0 ? '' : `redirect hop ${hop} to ${shown(url)}: `;
  const audit = (allowed: boolean, reason: string) =>
    scope.audit.record({
      plugin: scope.pluginId,
      action: 'http.fetch',
      target: shown(url),
      decision: allowed ? 'allow' : 'deny',
      permission: 'network_outbound',
      reason: where + reason,
    });
  const decision = decideNetwork(grant, url);
  if (!decision.allowed) {
    audit(false, decision.reason);
    throw permissionDenied({ ...decision, reason: where + decision.reason }, scope.pluginId);
  }
  const target = networkTargetOf(url);
  let addresses: readonly ResolvedAddress[];
  const family = isIP(target.host);
  if (family !== 0) addresses = [{ address: target.host, family }];
  else {
    try {
      addresses = await resolveHost(target.host);
      if (addresses.length === 0) throw new Error('no address');
    } catch (error) {
      audit(false, `cannot resolve ${target.host}`);
      throw httpError(
        'JOVIAN_E_HTTP_FAILED',
        scope,
        `cannot resolve ${target.host}: ${(error as Error).message}`,
        { cause: error, hint: 'Check the host name and the DNS of the machine running Jovian.' },
      );
    }
  }
  const hidden = addresses.find((a) => isPrivateAddress(a.address));
  if (hidden && !isExplicitlyGranted(grant, target)) {
    const reason = `${target.host} resolves to ${hidden.address}, a loopback, private or link-local address; only an entry naming ${target.host} explicitly allows it`;
    audit(false, reason);
    throw permissionDenied({ ...decision, allowed: false, reason: where + reason }, scope.pluginId);
  }
  audit(true, `${decision.reason}; connecting to ${addresses.map((a) => a.address).join(', ')}`);
  return addresses;
}

function nextHop(previous: Hop, status: number, url: URL): Hop {
  const headers = { ...previous.headers };
  if (url.origin !== previous.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  const toGet =
    (status === 303 && previous.method !== 'HEAD') ||
    ((status === 301 || status === 302) && previous.method === 'POST');
  if (!toGet) return { ...previous, url, headers };
  delete headers['content-type'];
  return { url, method: 'GET', headers, body: undefined };
}

/** One request to pinned addresses; resolves with the whole (capped) response. */
function send(
  hop: Hop,
  addresses: readonly ResolvedAddress[],
  deadline: number,
  maxBodyBytes: number,
  scope: ServiceScope,
  timeout: () => JovianError,
): Promise<HttpResponse> {
  const pinned = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all)
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as LookupFunction;
  return new Promise((resolvePromise, reject) => {
    let request: ClientRequest | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (error: JovianError | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        request?.destroy();
        reject(error);
      } else resolvePromise(response!);
    };
    const failed = (error: Error) =>
      httpError('JOVIAN_E_HTTP_FAILED', scope, `${hop.method} ${shown(hop.url)} failed: ${error.message}`, {
        cause: error,
      });
    const make = hop.url.protocol === 'https:' ? httpsRequest : httpRequest;
    try {
      request = make(hop.url, {
        method: hop.method,
        headers: hop.headers,
        lookup: pinned,
        agent: false,
        ...(isIP(hop.url.hostname.replace(/^\[|\]$/g, '')) ? {} : { servername: hop.url.hostname }),
      });
    } catch (error) {
      settle(failed(error as Error));
      return;
    }
    timer = setTimeout(() => settle(timeout()), Math.max(0, deadline - Date.now()));
    request.on('error', (error) => settle(failed(error)));
    request.on('response', (response: IncomingMessage) => {
      const headers = flatHeaders(response);
      const status = response.statusCode ?? 0;
      const result = (body: Uint8Array): HttpResponse => ({ status, headers, body, url: hop.url.href });
      if (REDIRECTS.has(status) && headers['location'] !== undefined) {
        // The redirect's own body is never shown to the plugin: stop here.
        settle(undefined, result(new Uint8Array()));
        response.destroy();
        return;
      }
      const tooLarge = () =>
        httpError(
          'JOVIAN_E_HTTP_TOO_LARGE',
          scope,
          `the response of ${shown(hop.url)} is larger than ${maxBodyBytes} bytes`,
        );
      if (Number(headers['content-length']) > maxBodyBytes) return settle(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) settle(tooLarge());
        else chunks.push(chunk);
      });
      response.on('end', () => settle(undefined, result(new Uint8Array(Buffer.concat(chunks, size)))));
      response.on('error', (error) => settle(failed(error)));
      response.on('close', () => {
        if (!response.complete)
          settle(failed(new Error('the connection closed before the response was complete')));
      });
    });
    const body = hop.body;
    request.end(body === undefined ? undefined : typeof body === 'string' ? body : Buffer.from(body));
  });
}

function pluginHeaders(headers: HttpRequest['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (!HOST_SET_HEADERS.has(lower)) result[lower] = String(value);
  }
  return result;
}

function flatHeaders(response: IncomingMessage): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** A URL as audits and messages show it: origin and path, never credentials or the query. */
function shown(url: URL): string {
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? `${url.origin}${url.pathname}`
    : `${url.protocol}…`;
}

function parseUrl(url: string, scope: ServiceScope, base?: URL): URL {
  try {
    return new URL(url, base);
  } catch {
    const what = base ? `a redirect to an invalid URL from ${shown(base)}` : 'an invalid URL';
    throw httpError('JOVIAN_E_HTTP_FAILED', scope, `${what}: ${JSON.stringify(String(url)).slice(0, 200)}`, {
      hint: 'Pass an absolute http:// or https:// URL.',
    });
  }
}

function httpError(
  code: 'JOVIAN_E_HTTP_FAILED' | 'JOVIAN_E_HTTP_TIMEOUT' | 'JOVIAN_E_HTTP_TOO_LARGE',
  scope: ServiceScope,
  problem: string,
  options: { cause?: unknown; hint?: string } = {},
): JovianError {
  return new JovianError(code, `plugin \`${scope.pluginId}\` ctx.http.fetch: ${problem}`, options);
}
