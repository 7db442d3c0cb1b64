import type { PermissionGrant, PermissionName, Permissions } from '../../types.js';

/**
 * Each permission with its sentence for `true` and for a list (`{what}`), in docs/permissions.md's
 * order. The same English words as the WebUI's (web/src/plugins/permission-words.ts with its English
 * messages); a unit test keeps the two equal, since the host cannot import the WebUI's sources.
 */
const SENTENCES: readonly (readonly [PermissionName, string, string])[] = [
  ['fs_read', 'read files in the project folder', 'read {what}'],
  ['fs_write', 'write files in the project folder', 'write in {what}'],
  ['run_commands', 'run any command', 'run {what}'],
  ['network_outbound', 'connect to any public host', 'connect to {what}'],
];
const NOTHING = 'only its own folders';

/**
 * What a plugin may touch, in plain words ("read /data/reports", "connect to any public host"). A
 * plugin granted nothing gets one sentence saying so; one without a manifest (legacy) none.
 */
export function permissionSentences(permissions: Permissions | null): string[] {
  if (permissions === null) return [];
  const sentences: string[] = [];
  for (const [name, all, some] of SENTENCES) {
    const grant: PermissionGrant = permissions[name];
    if (grant === true) sentences.push(all);
    else if (Array.isArray(grant) && grant.length > 0)
      sentences.push(some.replace('{what}', grant.join(', ')));
  }
  return sentences.length > 0 ? sentences : [NOTHING];
}
