import { describe, expect, it } from 'vitest';
import { decideCommand } from '../../../src/security/index.js';
import type { PermissionGrant } from '../../../src/types.js';

describe('command decisions', () => {
  describe('#decideCommand', () => {
    it.each<[string, PermissionGrant, string, boolean]>([
      ['refuse everything without a grant', false, 'git', false],
      ['allow any command with true', true, '/usr/bin/anything', true],
      ['allow a listed name', ['git', 'node'], 'node', true],
      ['refuse an unlisted name', ['git'], 'curl', false],
      ['refuse a path that merely ends in a listed name', ['git'], '/tmp/evil/git', false],
      ['refuse a relative path ending in a listed name', ['git'], './git', false],
      ['allow a listed absolute path', ['/usr/bin/git'], '/usr/bin/git', true],
      ['refuse the bare name of a listed absolute path', ['/usr/bin/git'], 'git', false],
      ['refuse another spelling of a listed absolute path', ['/usr/bin/git'], '/usr/bin/../bin/git', false],
      ['refuse an empty command even with true', true, '', false],
      ['refuse a relative path even when listed', ['bin/tool'], 'bin/tool', false],
    ])('should %s', (_title, grant, command, allowed) => {
      expect(decideCommand(grant, command)).toMatchObject({
        allowed,
        permission: 'run_commands',
        target: command,
      });
    });

    it('should explain why a path ending in a listed name is refused', () => {
      expect(decideCommand(['git'], '/tmp/evil/git').reason).toBe(
        'the entry git allows the command name found on the PATH, not the file /tmp/evil/git',
      );
      expect(decideCommand(['git'], 'curl').reason).toBe('not in run_commands (git)');
      expect(decideCommand(false, 'git').reason).toBe('run_commands is not granted');
    });
  });
});
