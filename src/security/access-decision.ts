import { JovianError } from '../errors.js';
import type { PermissionName } from '../types.js';

/** The outcome of a permission check; `reason` is what the audit record and the error say. */
export interface AccessDecision {
  readonly allowed: boolean;
  readonly permission: PermissionName;
  /**
   * What was judged, in the form a grant entry for it takes: a real path (fs_read, fs_write), a
   * command (run_commands) or `host:port` (network_outbound).
   */
  readonly target: string;
  readonly reason: string;
}

/** The verb a denial message uses for each permission. */
const ACTIONS: Readonly<Record<PermissionName, string>> = {
  fs_read: 'read',
  fs_write: 'write',
  run_commands: 'run',
  network_outbound: 'connect to',
};

/**
 * The error a plugin gets for a denied access (`JOVIAN_E_PERMISSION_DENIED`): its message names the
 * plugin, the action, the target and the reason; its hint names exactly the entry to add to
 * plugin.yaml — the target itself, the narrowest grant that allows it.
 * @example
 * permissionDenied({ allowed: false, permission: 'fs_read', target: '/data/x', reason: 'fs_read is not granted' }, 'notes')
 * // message: plugin `notes` may not read /data/x: fs_read is not granted
 * // hint:    add `fs_read: ["/data/x"]` under permissions in plugin.yaml
 */
export function permissionDenied(decision: AccessDecision, pluginId: string): JovianError {
  const entry = `${decision.permission}: [${JSON.stringify(decision.target)}]`;
  return new JovianError(
    'JOVIAN_E_PERMISSION_DENIED',
    `plugin \`${pluginId}\` may not ${ACTIONS[decision.permission]} ${decision.target}: ${decision.reason}`,
    { hint: `add \`${entry}\` under permissions in plugin.yaml` },
  );
}
