import { JovianError } from '../errors.js';
import type { PermissionName } from '../types.js';

/** The outcome of a permission check, with the reason written to the audit record. */
export interface AccessDecision {
  readonly allowed: boolean;
  readonly permission: PermissionName;
  /** The path, command or URL concerned. */
  readonly target: string;
  readonly reason: string;
}

const SUGGESTION: Readonly<Record<PermissionName, (target: string) => string>> = {
  fs_read: (target) => `fs_read: ["${target}"]`,
  fs_write: (target) => `fs_write: ["${target}"]`,
  run_commands: (target) => `run_commands: ["${target}"]`,
  network_outbound: (target) => `network_outbound: ["${target}"]`,
};

/**
 * The error a plugin gets for a denied access: what it tried, why it was refused, and exactly what to
 * add to plugin.yaml to allow it. `grantTarget` is the entry to suggest (a folder, a command name, a
 * `host:port`); it defaults to the decision's target.
 */
export function permissionDenied(
  decision: AccessDecision,
  pluginId: string,
  action: string,
  grantTarget = decision.target,
): JovianError {
  return new JovianError(
    'JOVIAN_E_PERMISSION_DENIED',
    `plugin \`${pluginId}\` may not ${action} ${decision.target}: ${decision.reason}`,
    {
      hint: `to allow it, add \`${SUGGESTION[decision.permission](grantTarget)}\` under permissions in ${pluginId}'s plugin.yaml`,
    },
  );
}
