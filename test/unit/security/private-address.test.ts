import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../../src/security/index.js';

describe('private addresses', () => {
  describe('#isPrivateAddress', () => {
    it.each([
      ['127.0.0.1', 'IPv4 loopback'],
      ['127.255.255.254', 'the rest of 127/8'],
      ['10.1.2.3', 'RFC 1918 10/8'],
      ['172.20.0.1', 'RFC 1918 172.16/12'],
      ['192.168.1.1', 'RFC 1918 192.168/16'],
      ['169.254.169.254', 'link-local (cloud metadata)'],
      ['100.64.0.1', 'carrier-grade NAT'],
      ['0.0.0.0', 'unspecified'],
      ['224.0.0.1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['::1', 'IPv6 loopback'],
      ['::', 'IPv6 unspecified'],
      ['fe80::1', 'IPv6 link-local'],
      ['fe80::1%eth0', 'IPv6 link-local with a zone'],
      ['fd00::1', 'unique-local'],
      ['::ffff:127.0.0.1', 'IPv4-mapped loopback (dotted)'],
      ['::ffff:7f00:1', 'IPv4-mapped loopback (hex, as URL writes it)'],
      ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local'],
      ['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
      ['2002:7f00:1::1', '6to4 of loopback'],
      ['[::1]', 'a bracketed literal'],
    ])('should refuse %s (%s)', (ip) => {
      expect(isPrivateAddress(ip)).toBe(true);
    });

    it.each([
      ['8.8.8.8'],
      ['1.1.1.1'],
      ['172.32.0.1'],
      ['2606:4700::1111'],
      ['::ffff:8.8.8.8'],
      ['64:ff9b::8.8.8.8'],
      ['2002:808:808::1'],
    ])('should accept the public address %s', (ip) => {
      expect(isPrivateAddress(ip)).toBe(false);
    });

    it('should return false for anything that is not an IP literal', () => {
      expect(isPrivateAddress('localhost')).toBe(false);
      expect(isPrivateAddress('not an ip')).toBe(false);
    });
  });
});
