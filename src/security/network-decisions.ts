import { BlockList, isIP } from 'node:net';
import type { PermissionGrant } from '../types.js';
import type { AccessDecision } from './access-decision.js';

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** True for loopback, private, link-local, carrier-grade NAT, multicast and unspecified addresses. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return PRIVATE.check(ip, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
    return PRIVATE.check(ip, 'ipv6');
  }
  return false;
}

/** `host:port` of a URL, with the scheme's default port. */
export function hostPortOf(url: URL): { host: string; port: number } {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

/** True when a grant list names this host (and port) explicitly — wildcards do not count. */
export function namesExplicitly(grant: PermissionGrant, host: string, port: number): boolean {
  if (!Array.isArray(grant)) return false;
  return grant.some((entry) => {
    const [entryHost, entryPort] = splitEntry(entry);
    return entryHost === host && (entryPort === undefined || entryPort === port);
  });
}

/**
 * May the plugin fetch `url`? Only http and https. A list entry is `host`, `host:port` or
 * `*.example.com` (subdomains only, not the apex); `true` allows any public host. Loopback, private and
 * link-local destinations (`localhost` included) are refused unless the list names that host
 * explicitly; the broker checks the resolved address again, since a public name can point anywhere.
 */
export function decideNetwork(grant: PermissionGrant, url: URL): AccessDecision {
  const target = url.origin;
  const decision = (allowed: boolean, reason: string): AccessDecision => ({
    allowed,
    permission: 'network_outbound',
    target,
    reason,
  });
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return decision(false, `the ${url.protocol} scheme is not allowed (http and https only)`);
  if (grant === false) return decision(false, 'network_outbound is not granted');
  const { host, port } = hostPortOf(url);
  const privateHost = host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host);
  if (privateHost && !namesExplicitly(grant, host, port)) {
    return decision(
      false,
      `${host} is a loopback or private address; only an explicit entry "${host}:${port}" allows it`,
    );
  }
  if (grant === true) return decision(true, 'network_outbound: true (public hosts)');
  for (const entry of grant) {
    const [entryHost, entryPort] = splitEntry(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entryHost === host) return decision(true, `granted by network_outbound entry ${entry}`);
    if (
      entryHost.startsWith('*.') &&
      host.endsWith(entryHost.slice(1)) &&
      host.length > entryHost.length - 1
    ) {
      return decision(true, `granted by network_outbound entry ${entry}`);
    }
  }
  return decision(false, `${host}:${port} is not in network_outbound (${grant.join(', ')})`);
}

function splitEntry(entry: string): [string, number | undefined] {
  const ipv6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (ipv6) return [ipv6[1]!.toLowerCase(), ipv6[2] ? Number(ipv6[2]) : undefined];
  const at = entry.lastIndexOf(':');
  if (at > 0 && /^\d+$/.test(entry.slice(at + 1)) && !entry.slice(0, at).includes(':')) {
    return [entry.slice(0, at).toLowerCase(), Number(entry.slice(at + 1))];
  }
  return [entry.toLowerCase(), undefined];
}
