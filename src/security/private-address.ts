import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges that are not the public internet: "this network", private (RFC 1918), carrier-grade
 * NAT, loopback, link-local (cloud metadata lives at 169.254.169.254), IETF protocol assignments,
 * documentation, 6to4 relay, benchmarking, multicast and reserved (which holds 255.255.255.255).
 */
const IPV4_NON_PUBLIC: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/**
 * IPv6 ranges that are not the public internet: unspecified, loopback and the deprecated
 * IPv4-compatible block (`::/96`), local-use NAT64, discard, Teredo (its embedded address is
 * obfuscated, so it cannot be checked), documentation, unique-local, link-local, site-local, multicast.
 * IPv4-mapped addresses (`::ffff:a.b.c.d`) are judged by their IPv4 part: `BlockList` applies the
 * IPv4 rules to them itself.
 */
const IPV6_NON_PUBLIC: readonly (readonly [string, number])[] = [
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of IPV4_NON_PUBLIC) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
  // The same range reached through NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:aabb:ccdd::).
  NON_PUBLIC.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
  NON_PUBLIC.addSubnet(sixToFour(network), 16 + prefix, 'ipv6');
}
for (const [network, prefix] of IPV6_NON_PUBLIC) NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

function sixToFour(ipv4: string): string {
  const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  return `2002:${hex(a, b)}:${hex(c, d)}::`;
}

/**
 * True when `ip` is an address the network broker must not reach without an explicit grant: loopback,
 * private, carrier-grade NAT, link-local, unspecified, multicast, reserved or documentation ranges, in
 * IPv4 or IPv6 — including IPv4-mapped (`::ffff:127.0.0.1`, `::ffff:7f00:1`), NAT64 and 6to4 forms of
 * those IPv4 ranges. A zone suffix (`fe80::1%eth0`) is ignored.
 *
 * Returns false for anything that is not an IP literal (host names are judged after DNS resolution).
 * @example
 * isPrivateAddress('169.254.169.254'); // true
 * isPrivateAddress('::ffff:10.0.0.1'); // true
 * isPrivateAddress('8.8.8.8'); // false
 */
export function isPrivateAddress(ip: string): boolean {
  const address = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family === 6) return NON_PUBLIC.check(address, 'ipv6');
  return false;
}
