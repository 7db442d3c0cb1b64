import { grantSentence } from '../host/index.js';
import { PERMISSION_NAMES, type PermissionGrant, type PermissionName, type Permissions } from '../types.js';

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
  if (!had) return { permission: name, change: 'added', words: grantSentence(name, after) as string };
  if (!has) return { permission: name, change: 'removed', words: grantSentence(name, before) as string };
  if (before === true && after === true) return undefined;
  if (after === true)
    return { permission: name, change: 'widened', words: grantSentence(name, true) as string };
  if (before === true)
    return { permission: name, change: 'narrowed', words: `only ${grantSentence(name, after) as string}` };
  const added = entries(after).filter((e) => !entries(before).includes(e));
  if (added.length > 0)
    return { permission: name, change: 'widened', words: grantSentence(name, added) as string };
  const removed = entries(before).filter((e) => !entries(after).includes(e));
  if (removed.length > 0)
    return { permission: name, change: 'narrowed', words: grantSentence(name, removed) as string };
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
