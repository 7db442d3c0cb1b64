import { describe, expect, it } from 'vitest';
import { decideCommand, decideNetwork, permissionDenied } from '../../../src/security/index.js';

describe('access decisions', () => {
  describe('#permissionDenied', () => {
    it('should name the plugin, the action, the target and the reason, and the exact entry to add', () => {
      const error = permissionDenied(
        { allowed: false, permission: 'fs_read', target: '/data/x', reason: 'fs_read is not granted' },
        'notes',
      );
      expect(error).toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: 'plugin `notes` may not read /data/x: fs_read is not granted',
        hint: 'add `fs_read: ["/data/x"]` under permissions in plugin.yaml',
      });
    });

    it('should suggest host:port for the network and the command for the runner', () => {
      expect(permissionDenied(decideNetwork(false, new URL('https://x.org/a')), 'weather')).toMatchObject({
        message: 'plugin `weather` may not connect to x.org:443: network_outbound is not granted',
        hint: 'add `network_outbound: ["x.org:443"]` under permissions in plugin.yaml',
      });
      expect(permissionDenied(decideCommand(false, 'git'), 'vcs')).toMatchObject({
        message: 'plugin `vcs` may not run git: run_commands is not granted',
        hint: 'add `run_commands: ["git"]` under permissions in plugin.yaml',
      });
    });

    it('should quote targets as YAML-safe JSON strings', () => {
      const error = permissionDenied(
        { allowed: false, permission: 'fs_write', target: 'C:\\out "x"', reason: 'r' },
        'p',
      );
      expect(error.hint).toBe('add `fs_write: ["C:\\\\out \\"x\\""]` under permissions in plugin.yaml');
    });
  });
});
