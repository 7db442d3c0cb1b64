import { describe, expect, it } from 'vitest';
import {
  decideNetwork,
  formatNetworkTarget,
  isExplicitlyGranted,
  networkTargetOf,
} from '../../../src/security/index.js';
import type { PermissionGrant } from '../../../src/types.js';

describe('network decisions', () => {
  describe('#decideNetwork', () => {
    it.each<[string, PermissionGrant, string, boolean]>([
      ['refuse everything without a grant', false, 'https://api.example.com/x', false],
      ['allow a public host with true', true, 'https://api.example.com/x', true],
      ['allow a public IP with true', true, 'http://8.8.8.8/', true],
      ['refuse loopback with true', true, 'http://127.0.0.1:8080/', false],
      ['refuse localhost with true', true, 'http://localhost/', false],
      ['refuse localhost. with true', true, 'http://localhost./', false],
      ['refuse a *.localhost name with true', true, 'http://app.localhost/', false],
      ['refuse an IPv4-mapped loopback with true', true, 'http://[::ffff:127.0.0.1]/', false],
      ['refuse cloud metadata with true', true, 'http://169.254.169.254/latest/meta-data', false],
      ['refuse a decimal loopback with true', true, 'http://2130706433/', false],
      ['allow a listed host on any port', ['api.example.com'], 'https://api.example.com:8443/v1', true],
      [
        'allow a listed host:port, the port taken from the scheme',
        ['api.example.com:443'],
        'https://api.example.com/v1',
        true,
      ],
      [
        'refuse another port than the listed one',
        ['api.example.com:443'],
        'http://api.example.com/v1',
        false,
      ],
      ['match host names without regard to case', ['API.Example.com'], 'https://api.EXAMPLE.com/', true],
      ['allow a subdomain through a wildcard', ['*.example.com'], 'https://a.b.example.com/', true],
      ['refuse the apex through a wildcard', ['*.example.com'], 'https://example.com/', false],
      [
        'allow the apex when it is listed too',
        ['*.example.com', 'example.com'],
        'https://example.com/',
        true,
      ],
      ['refuse a look-alike through a wildcard', ['*.example.com'], 'https://evilexample.com/', false],
      ['refuse a look-alike of a listed host', ['example.com'], 'https://example.com.evil.org/', false],
      ['allow loopback named explicitly', ['127.0.0.1:8080'], 'http://127.0.0.1:8080/', true],
      ['refuse loopback on another port', ['127.0.0.1:8080'], 'http://127.0.0.1:9090/', false],
      ['allow IPv6 loopback named explicitly', ['[::1]:80'], 'http://[::1]/', true],
      ['allow localhost named explicitly', ['localhost:3000'], 'http://localhost:3000/', true],
      ['refuse a private host through a wildcard', ['*.localhost'], 'http://app.localhost/', false],
      ['refuse ftp', true, 'ftp://example.com/', false],
      ['refuse file URLs', true, 'file:///etc/passwd', false],
      ['ignore an entry it cannot read', ['exa mple.com', 'x:99999'], 'https://example.com/', false],
    ])('should %s', (_title, grant, url, allowed) => {
      expect(decideNetwork(grant, new URL(url))).toMatchObject({ allowed, permission: 'network_outbound' });
    });

    it('should name the target as host:port, the form a grant entry takes', () => {
      expect(decideNetwork(false, new URL('https://api.example.com/v1?key=secret')).target).toBe(
        'api.example.com:443',
      );
      expect(decideNetwork(false, new URL('http://[::1]:8080/')).target).toBe('[::1]:8080');
    });

    it('should say why loopback is refused and how it can be allowed', () => {
      expect(decideNetwork(true, new URL('http://127.0.0.1:8080/')).reason).toBe(
        '127.0.0.1 is a loopback, private or link-local host; only an entry naming it explicitly allows it (`true` and wildcards do not)',
      );
      expect(decideNetwork(['127.0.0.1:8080'], new URL('http://127.0.0.1:8080/')).reason).toBe(
        'granted explicitly by network_outbound entry 127.0.0.1:8080',
      );
      expect(decideNetwork(true, new URL('ftp://x.org/')).reason).toBe(
        'the ftp: scheme is not allowed (http and https only)',
      );
      expect(decideNetwork(['a.org'], new URL('https://b.org/')).reason).toBe(
        'b.org:443 is not in network_outbound (a.org)',
      );
    });
  });

  describe('#isExplicitlyGranted', () => {
    it('should count exact entries only, never wildcards or true', () => {
      const target = networkTargetOf(new URL('http://db.corp.example:5432/'));
      expect(isExplicitlyGranted(['db.corp.example'], target)).toBe(true);
      expect(isExplicitlyGranted(['db.corp.example:5432'], target)).toBe(true);
      expect(isExplicitlyGranted(['db.corp.example:80'], target)).toBe(false);
      expect(isExplicitlyGranted(['*.corp.example'], target)).toBe(false);
      expect(isExplicitlyGranted(true, target)).toBe(false);
    });
  });

  describe('#formatNetworkTarget', () => {
    it('should bracket IPv6 hosts and drop a trailing dot', () => {
      expect(formatNetworkTarget(networkTargetOf(new URL('https://[fe80::1]/')))).toBe('[fe80::1]:443');
      expect(formatNetworkTarget(networkTargetOf(new URL('http://example.com./')))).toBe('example.com:80');
    });
  });
});
