import { PERMISSION_NAMES, type PermissionGrant, type PermissionName, type Permissions } from '../types.js';

/** What each permission lets a plugin do, as docs/permissions.md words it: [any, some]. */
const VERBS: Readonly<Record<PermissionName, readonly [string, string]>> = {
  fs_read: ['read any file', 'read'],
  fs_write: ['write any file', 'write'],
  run_commands: ['run any command', 'run'],
  network_outbound: ['connect to any public host', 'connect to'],
};

/** One permission as a sentence: "read /data/reports", "connect to any public host". */
export function grantWords(name: PermissionName, grant: PermissionGrant): string | undefined {
  if (grant === false || (Array.isArray(grant) && grant.length === 0)) return undefined;
  const [any, some] = VERBS[name];
  return grant === true ? any : `${some} ${(grant as readonly string[]).join(', ')}`;
}

/** Everything a plugin may touch, in plain words; "nothing outside its own folders" when nothing. */
export function permissionWords(permissions: Permissions): string[] {
  const words = PERMISSION_NAMES.map((name) => grantWords(name, permissions[name])).filter(
    (w): w is string => w !== undefined,
  );
  return words.length > 0 ? words : ['nothing outside its own folders'];
}

/** How one permission changes between two versions of a plugin. */
export interface PermissionChange {
  readonly permission: PermissionName;
  /** `added`/`widened` need consent; `narrowed`/`removed` do not. */
  readonly change: 'added' | 'widened' | 'narrowed' | 'removed';
  /** What the plugin may newly do (added/widened) or no longer do (narrowed/removed), in plain words. */
  readonly words: string;
}

const entries = (grant: PermissionGrant): readonly string[] => (Array.isArray(grant) ? grant : []);

function changeOf(
  name: PermissionName,
  before: PermissionGrant,
  after: PermissionGrant,
): PermissionChange | undefined {
  const had = before !== false && !(Array.isArray(before) && before.length === 0);
  const has = after !== false && !(Array.isArray(after) && after.length === 0);
  if (!had && !has) return undefined;
  if (!had) return { permission: name, change: 'added', words: grantWords(name, after) as string };
  if (!has) return { permission: name, change: 'removed', words: grantWords(name, before) as string };
  if (before === true && after === true) return undefined;
  if (after === true) return { permission: name, change: 'widened', words: grantWords(name, true) as string };
  if (before === true)
    return { permission: name, change: 'narrowed', words: `only ${grantWords(name, after) as string}` };
  const added = entries(after).filter((e) => !entries(before).includes(e));
  if (added.length > 0)
    return { permission: name, change: 'widened', words: grantWords(name, added) as string };
  const removed = entries(before).filter((e) => !entries(after).includes(e));
  if (removed.length > 0)
    return { permission: name, change: 'narrowed', words: grantWords(name, removed) as string };
  return undefined;
}

/** The permission diff of an update, in docs/permissions.md order. */
export function permissionChanges(before: Permissions, after: Permissions): PermissionChange[] {
  return PERMISSION_NAMES.map((name) => changeOf(name, before[name], after[name])).filter(
    (c): c is PermissionChange => c !== undefined,
  );
}

/** True when a change lets the plugin do something it could not: consent is needed. */
export const widens = (change: PermissionChange): boolean =>
  change.change === 'added' || change.change === 'widened';
