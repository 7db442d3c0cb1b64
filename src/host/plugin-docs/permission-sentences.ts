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
/** The sentence of a plugin granted nothing. */
export const NO_PERMISSION_SENTENCE = 'only its own folders';

/** One permission as a sentence, or undefined when it grants nothing. */
export function grantSentence(name: PermissionName, grant: PermissionGrant): string | undefined {
  const [, all, some] = SENTENCES.find(([n]) => n === name) as (typeof SENTENCES)[number];
  if (grant === true) return all;
  if (Array.isArray(grant) && grant.length > 0) return some.replace('{what}', grant.join(', '));
  return undefined;
}

/**
 * What a plugin may touch, in plain words ("read /data/reports", "connect to any public host"). A
 * plugin granted nothing gets one sentence saying so; one without a manifest (legacy) none.
 */
export function permissionSentences(permissions: Permissions | null): string[] {
  if (permissions === null) return [];
  const sentences = SENTENCES.map(([name]) => grantSentence(name, permissions[name])).filter(
    (s): s is string => s !== undefined,
  );
  return sentences.length > 0 ? sentences : [NO_PERMISSION_SENTENCE];
}
