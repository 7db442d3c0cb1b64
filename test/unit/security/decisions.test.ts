import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  decideCommand,
  decideFsAccess,
  decideNetwork,
  isPrivateAddress,
  permissionDenied,
} from '../../../src/security/index.js';

const roots = { pluginDir: '/plugins/p', dataDir: '/data/plugin-data/p', projectDir: '/home/me/project' };

describe('decideFsAccess', () => {
  it.each([
    ['fs_read', false, '/plugins/p/assets/x.json', true, "inside the plugin's own folder"],
    ['fs_write', false, '/plugins/p/x', false, 'fs_write is not granted'],
    ['fs_write', false, '/data/plugin-data/p/cache.json', true, "inside the plugin's data folder"],
    ['fs_read', false, '/data/plugin-data/other/x', false, 'fs_read is not granted'],
    ['fs_read', true, '/home/me/project/src/a.ts', true, 'fs_read: true grants the project folder'],
    ['fs_read', true, '/etc/passwd', false, 'fs_read: true grants the project folder /home/me/project only'],
    ['fs_read', ['/srv/data'], '/srv/data/a/b', true, 'granted by fs_read entry /srv/data'],
    ['fs_read', ['/srv/data'], '/srv/database', false, 'not under any fs_read entry (/srv/data)'],
    ['fs_write', ['out'], '/home/me/project/out/report.md', true, 'granted by fs_write entry out'],
    ['fs_read', ['~/notes'], `${homedir()}/notes/today.md`, true, 'granted by fs_read entry ~/notes'],
  ] as const)('%s with %j on %s → %s', (permission, grant, path, allowed, reason) => {
    expect(decideFsAccess(permission, grant as never, path, roots)).toEqual({
      allowed,
      permission,
      target: path,
      reason,
    });
  });
});

describe('decideCommand', () => {
  it.each([
    [false, 'git', false],
    [true, '/usr/bin/anything', true],
    [['git'], 'git', true],
    [['git'], '/tmp/evil/git', false],
    [['/usr/bin/git'], '/usr/bin/git', true],
    [['/usr/bin/git'], 'git', false],
  ] as const)('%j allows %s: %s', (grant, command, allowed) => {
    expect(decideCommand(grant as never, command).allowed).toBe(allowed);
  });
});

describe('decideNetwork', () => {
  it.each([
    [false, 'https://api.example.com/x', false],
    [true, 'https://api.example.com/x', true],
    [true, 'http://127.0.0.1:8080/', false],
    [true, 'http://localhost/', false],
    [['api.example.com'], 'https://api.example.com/v1', true],
    [['api.example.com:443'], 'https://api.example.com/v1', true],
    [['api.example.com:443'], 'http://api.example.com/v1', false],
    [['*.example.com'], 'https://a.b.example.com/', true],
    [['*.example.com'], 'https://example.com/', false],
    [['*.example.com'], 'https://evilexample.com/', false],
    [['127.0.0.1:8080'], 'http://127.0.0.1:8080/', true],
    [['127.0.0.1:8080'], 'http://127.0.0.1:9090/', false],
    [['[::1]:80'], 'http://[::1]/', true],
    [true, 'ftp://example.com/', false],
    [true, 'file:///etc/passwd', false],
  ] as const)('%j allows %s: %s', (grant, url, allowed) => {
    expect(decideNetwork(grant as never, new URL(url)).allowed).toBe(allowed);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2606:4700::1111', false],
    ['not an ip', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

describe('permissionDenied', () => {
  it('should say what was refused and exactly what to add to plugin.yaml', () => {
    const error = permissionDenied(
      {
        allowed: false,
        permission: 'network_outbound',
        target: 'https://x.org',
        reason: 'network_outbound is not granted',
      },
      'weather',
      'fetch',
      'x.org:443',
    );
    expect(error.code).toBe('JOVIAN_E_PERMISSION_DENIED');
    expect(error.message).toBe(
      'plugin `weather` may not fetch https://x.org: network_outbound is not granted',
    );
    expect(error.hint).toBe(
      'to allow it, add `network_outbound: ["x.org:443"]` under permissions in weather\'s plugin.yaml',
    );
  });
});
