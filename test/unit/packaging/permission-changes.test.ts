import { describe, expect, it } from 'vitest';
import { permissionChanges } from '../../../src/packaging/index.js';
import type { Permissions } from '../../../src/types.js';

const none: Permissions = { fs_read: false, fs_write: false, run_commands: false, network_outbound: false };
const grant = (more: Partial<Permissions>): Permissions => ({ ...none, ...more });

describe('permission changes between two versions', () => {
  it('should report an added permission, entries added to a list, and a list opened to everything as widening', () => {
    expect(
      permissionChanges(
        grant({ fs_read: ['/a'], run_commands: ['git'] }),
        grant({ fs_read: ['/a', '/b'], run_commands: true, network_outbound: ['api.example.com'] }),
      ),
    ).toEqual([
      { permission: 'fs_read', change: 'widened', words: 'read /b' },
      { permission: 'run_commands', change: 'widened', words: 'run any command' },
      { permission: 'network_outbound', change: 'added', words: 'connect to api.example.com' },
    ]);
  });

  it('should report narrowing and removal, and nothing when nothing changes', () => {
    expect(
      permissionChanges(
        grant({ fs_write: true, fs_read: ['/a', '/b'] }),
        grant({ fs_write: ['/tmp/out'], fs_read: ['/a'] }),
      ),
    ).toEqual([
      { permission: 'fs_read', change: 'narrowed', words: 'read /b' },
      { permission: 'fs_write', change: 'narrowed', words: 'only write in /tmp/out' },
    ]);
    expect(permissionChanges(grant({ network_outbound: true }), none)).toEqual([
      { permission: 'network_outbound', change: 'removed', words: 'connect to any public host' },
    ]);
    expect(permissionChanges(grant({ fs_read: ['/a'] }), grant({ fs_read: ['/a'] }))).toEqual([]);
  });
});
