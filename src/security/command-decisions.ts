import type { PermissionGrant } from '../types.js';
import type { AccessDecision } from './access-decision.js';

/**
 * May the plugin run `command`? `true` allows any command; a list allows the commands it names — a bare
 * name (`git`) allows the bare command (found on the runner's PATH), never a file of the same name
 * elsewhere (`/tmp/x/git`); an absolute path allows only that file.
 */
export function decideCommand(grant: PermissionGrant, command: string): AccessDecision {
  const decision = (allowed: boolean, reason: string): AccessDecision => ({
    allowed,
    permission: 'run_commands',
    target: command,
    reason,
  });
  if (grant === false) return decision(false, 'run_commands is not granted');
  if (grant === true) return decision(true, 'run_commands: true');
  for (const entry of grant) {
    if (entry === command) return decision(true, `granted by run_commands entry ${entry}`);
  }
  return decision(false, `not in run_commands (${grant.join(', ')})`);
}
