import type { PermissionGrant } from '../types.js';
import type { AccessDecision } from './access-decision.js';
import { isPrivateAddress } from './private-address.js';

/** Where a request goes, as network_outbound entries spell it. */
export interface NetworkTarget {
  /** Lowercase, without IPv6 brackets or a trailing dot; IP literals in canonical form. */
  readonly host: string;
  /** The URL's port, or the scheme's default (80 for http, 443 for https). */
  readonly port: number;
}

interface NetworkEntry {
  readonly text: string;
  /** For `*.example.com`: `example.com`. */
  readonly host: string;
  readonly wildcard: boolean;
  /** Undefined: any port. */
  readonly port: number | undefined;
}

/** The host and port a URL reaches (the scheme's default port when none is written). */
export function networkTargetOf(url: URL): NetworkTarget {
  return {
    host: canonicalHost(url.hostname),
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  };
}

/** `host:port`, with IPv6 hosts in brackets: the form a network_outbound entry takes. */
export function formatNetworkTarget(target: NetworkTarget): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/**
 * True when a grant list has an entry naming this exact host (not through a wildcard), with the same
 * port or no port. Only such an entry lets the broker reach a loopback, private or link-local address.
 */
export function isExplicitlyGranted(grant: PermissionGrant, target: NetworkTarget): boolean {
  return explicitEntry(grant, target) !== undefined;
}

/**
 * May the plugin send a request to `url`? The decision's target is `host:port`.
 * - Only `http:` and `https:`; the port defaults from the scheme.
 * - A list entry is `host`, `host:port`, `[ipv6]:port` or `*.example.com[:port]`. An entry without a
 *   port allows every port. A wildcard matches subdomains at any depth, never the apex itself: list
 *   `example.com` too for that.
 * - `true` allows any public host.
 * - Loopback, private, link-local and unspecified hosts — IP literals of those ranges (IPv4, IPv6,
 *   IPv4-mapped IPv6), `localhost` and `*.localhost` — are refused unless a list entry names that host
 *   explicitly (with that port, if the entry has one). `true` and wildcards never allow them.
 *
 * This judges the URL only: a public name can resolve to a private address, so the broker checks the
 * resolved addresses again (with {@link isPrivateAddress} and {@link isExplicitlyGranted}).
 * @example
 * decideNetwork(['*.example.com'], new URL('https://api.example.com/v1')).allowed; // true
 * decideNetwork(true, new URL('http://127.0.0.1:8080/')).allowed; // false
 */
export function decideNetwork(grant: PermissionGrant, url: URL): AccessDecision {
  const isWeb = url.protocol === 'http:' || url.protocol === 'https:';
  const target = isWeb ? networkTargetOf(url) : undefined;
  const decision = (allowed: boolean, reason: string): AccessDecision => ({
    allowed,
    permission: 'network_outbound',
    target: target ? formatNetworkTarget(target) : url.href,
    reason,
  });
  if (!target) return decision(false, `the ${url.protocol} scheme is not allowed (http and https only)`);
  if (grant === false) return decision(false, 'network_outbound is not granted');
  if (isLocalHost(target.host)) {
    const explicit = explicitEntry(grant, target);
    return explicit
      ? decision(true, `granted explicitly by network_outbound entry ${explicit.text}`)
      : decision(
          false,
          `${target.host} is a loopback, private or link-local host; only an entry naming it explicitly allows it (\`true\` and wildcards do not)`,
        );
  }
  if (grant === true) return decision(true, 'network_outbound: true allows any public host');
  for (const entry of parseEntries(grant)) {
    if (entry.port !== undefined && entry.port !== target.port) continue;
    const matches = entry.wildcard ? target.host.endsWith(`.${entry.host}`) : entry.host === target.host;
    if (matches) return decision(true, `granted by network_outbound entry ${entry.text}`);
  }
  return decision(false, `${formatNetworkTarget(target)} is not in network_outbound (${grant.join(', ')})`);
}

function isLocalHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host);
}

function explicitEntry(grant: PermissionGrant, target: NetworkTarget): NetworkEntry | undefined {
  if (!Array.isArray(grant)) return undefined;
  return parseEntries(grant).find(
    (entry) =>
      !entry.wildcard &&
      entry.host === target.host &&
      (entry.port === undefined || entry.port === target.port),
  );
}

function parseEntries(grant: readonly string[]): NetworkEntry[] {
  const entries: NetworkEntry[] = [];
  for (const text of grant) {
    const entry = parseEntry(text);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Parses `host[:port]`; undefined for an entry that cannot match anything (it then grants nothing). */
function parseEntry(text: string): NetworkEntry | undefined {
  let host = text.trim();
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] === undefined ? undefined : Number(bracketed[2]);
  } else {
    const withPort = /^([^:]+):(\d+)$/.exec(host);
    if (withPort) {
      host = withPort[1]!;
      port = Number(withPort[2]);
    }
  }
  if (port !== undefined && (port < 1 || port > 65_535)) return undefined;
  const wildcard = host.startsWith('*.');
  if (wildcard) host = host.slice(2);
  if (host === '' || host.includes('*')) return undefined;
  try {
    const parsed = new URL(`http://${host.includes(':') ? `[${host}]` : host}/`).hostname;
    return { text, host: canonicalHost(parsed), wildcard, port };
  } catch {
    return undefined;
  }
}

/** Lowercase (URL already folds case and IDNs), no IPv6 brackets, no trailing dot. */
function canonicalHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}
