import type { PermissionGrant } from '../types.js';
import type { AccessDecision } from './access-decision.js';

/**
 * May the plugin run `command`? The decision's target is the command as given.
 * - `true`: any command.
 * - A list entry without a slash (`git`) is a command name: it allows running `git`, which the runner
 *   looks up on its PATH. It does NOT allow a path that merely ends in that name (`/tmp/x/git`,
 *   `./git`): the plugin's data folder is always writable, so a basename match would let a plugin write
 *   its own `git` and run it.
 * - A list entry with a slash must be an absolute path and allows exactly that path (no
 *   normalisation: `/usr/bin/../bin/git` is a different string, and `..` after a symbolic link does not
 *   lead where it reads).
 * - Anything else, including an empty command or a relative path, is denied.
 * @example
 * decideCommand(['git', '/opt/tool/bin/run'], 'git').allowed; // true
 * decideCommand(['git'], '/usr/bin/git').allowed; // false: list `/usr/bin/git` to run it by path
 */
export function decideCommand(grant: PermissionGrant, command: string): AccessDecision {
  const decision = (allowed: boolean, reason: string): AccessDecision => ({
    allowed,
    permission: 'run_commands',
    target: command,
    reason,
  });
  if (typeof command !== 'string' || command.trim() === '' || command.includes('\0'))
    return decision(false, 'the command is empty or not a string');
  if (grant === false) return decision(false, 'run_commands is not granted');
  if (grant === true) return decision(true, 'run_commands: true allows any command');
  const hasSlash = command.includes('/') || command.includes('\\');
  if (hasSlash && !isAbsolutePath(command))
    return decision(
      false,
      'a relative command path is never granted; use a command name or an absolute path',
    );
  if (grant.includes(command)) return decision(true, `granted by run_commands entry ${command}`);
  const named = grant.filter((entry) => !entry.includes('/') && !entry.includes('\\'));
  const basename = command.split(/[\\/]/).at(-1) ?? command;
  if (hasSlash && named.includes(basename)) {
    return decision(
      false,
      `the entry ${basename} allows the command name found on the PATH, not the file ${command}`,
    );
  }
  return decision(false, `not in run_commands (${grant.join(', ')})`);
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
