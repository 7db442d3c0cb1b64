import { describe, expect, it } from 'vitest';
import { decideFsAccess, grantPath, isPathInside } from '../../../src/security/index.js';
import type { PermissionGrant } from '../../../src/types.js';

const roots = {
  pluginDir: '/plugins/p',
  dataDir: '/data/plugin-data/p',
  projectDir: '/home/me/project',
  homeDir: '/home/me',
};

describe('fs decisions', () => {
  describe('#decideFsAccess', () => {
    it.each<[string, 'fs_read' | 'fs_write', PermissionGrant, string, boolean, string]>([
      [
        'read its own folder',
        'fs_read',
        false,
        '/plugins/p/assets/x.json',
        true,
        "inside the plugin's own folder",
      ],
      ['not write its own folder', 'fs_write', false, '/plugins/p/x', false, 'fs_write is not granted'],
      [
        'write its data folder',
        'fs_write',
        false,
        '/data/plugin-data/p/cache.json',
        true,
        "inside the plugin's data folder",
      ],
      [
        'read its data folder',
        'fs_read',
        false,
        '/data/plugin-data/p',
        true,
        "inside the plugin's data folder",
      ],
      [
        "not read another plugin's data",
        'fs_read',
        false,
        '/data/plugin-data/other/x',
        false,
        'fs_read is not granted',
      ],
      [
        'not read a sibling sharing a prefix',
        'fs_read',
        false,
        '/plugins/p2/x',
        false,
        'fs_read is not granted',
      ],
      [
        'read the project with true',
        'fs_read',
        true,
        '/home/me/project/src/a.ts',
        true,
        'fs_read: true grants the project folder',
      ],
      [
        'write the project with true',
        'fs_write',
        true,
        '/home/me/project',
        true,
        'fs_write: true grants the project folder',
      ],
      [
        'not read beyond the project with true',
        'fs_read',
        true,
        '/etc/passwd',
        false,
        'outside the project folder /home/me/project, the only folder fs_read: true grants',
      ],
      [
        'read below a listed path',
        'fs_read',
        ['/srv/data'],
        '/srv/data/a/b',
        true,
        'granted by fs_read entry /srv/data',
      ],
      [
        'read a listed path itself',
        'fs_read',
        ['/srv/data'],
        '/srv/data',
        true,
        'granted by fs_read entry /srv/data',
      ],
      [
        'match by segments, not by prefix',
        'fs_read',
        ['/srv/data'],
        '/srv/database',
        false,
        'not under any fs_read entry (/srv/data)',
      ],
      [
        'take relative entries from the project',
        'fs_write',
        ['out'],
        '/home/me/project/out/r.md',
        true,
        'granted by fs_write entry out',
      ],
      [
        'expand ~',
        'fs_read',
        ['~/notes'],
        '/home/me/notes/today.md',
        true,
        'granted by fs_read entry ~/notes',
      ],
      ['refuse an empty list', 'fs_read', [], '/srv/data', false, 'fs_read lists no paths'],
      [
        'refuse a path that is not absolute',
        'fs_read',
        true,
        'src/a.ts',
        false,
        'the path is not absolute (it must be resolved before it is judged)',
      ],
    ])('should %s', (_title, permission, grant, path, allowed, reason) => {
      expect(decideFsAccess(permission, grant, path, roots)).toEqual({
        allowed,
        permission,
        target: path,
        reason,
      });
    });

    it('should not let a write grant on the plugin folder be implied by reading it', () => {
      expect(decideFsAccess('fs_write', ['/elsewhere'], '/plugins/p/main.js', roots).allowed).toBe(false);
    });
  });

  describe('#isPathInside', () => {
    it('should compare by path segments', () => {
      expect(isPathInside('/data/a', '/data/a')).toBe(true);
      expect(isPathInside('/data/a', '/data/a/b/c')).toBe(true);
      expect(isPathInside('/data/a', '/data/ab')).toBe(false);
      expect(isPathInside('/data/a', '/data')).toBe(false);
      expect(isPathInside('/data/a', '/data/a/../b')).toBe(false);
      expect(isPathInside('/data/a', '/data/a/..b')).toBe(true);
    });
  });

  describe('#grantPath', () => {
    it('should expand ~ and resolve relative entries from the project folder', () => {
      expect(grantPath('~', '/p', '/home/me')).toBe('/home/me');
      expect(grantPath('~/x/../y', '/p', '/home/me')).toBe('/home/me/y');
      expect(grantPath('out/../build', '/p', '/home/me')).toBe('/p/build');
      expect(grantPath('/abs', '/p', '/home/me')).toBe('/abs');
      expect(grantPath('~other/x', '/p', '/home/me')).toBe('/p/~other/x');
    });
  });
});
