import { PERMISSION_NAMES, type PermissionGrant } from '../types.js';
import { type LockEntry, normaliseLockedPermissions } from './lock-file.js';

/**
 * One way a plugin differs from its lock entry. `version`, `content` and `permission` make the host
 * refuse the plugin; `enabled` is a warning from the host and an error in `plugins lock verify`.
 */
export interface LockDrift {
  readonly kind: 'version' | 'content' | 'permission' | 'enabled';
  /** For people: `version 1.0.0 → 1.1.0`, `content changed`, `permission network_outbound added`. */
  readonly message: string;
}

/** How `actual` (computed from the plugin on disk) differs from `locked`; empty when it matches. */
export function lockDrifts(locked: LockEntry, actual: LockEntry): LockDrift[] {
  const drifts: LockDrift[] = [];
  if (locked.version !== actual.version)
    drifts.push({ kind: 'version', message: `version ${locked.version} → ${actual.version}` });
  const before = normaliseLockedPermissions(locked.permissions);
  const after = normaliseLockedPermissions(actual.permissions);
  for (const name of PERMISSION_NAMES) {
    const change = grantChange(before[name], after[name]);
    if (change) drifts.push({ kind: 'permission', message: `permission ${name} ${change}` });
  }
  if (locked.hash !== actual.hash) drifts.push({ kind: 'content', message: 'content changed' });
  if (locked.enabled !== actual.enabled)
    drifts.push({
      kind: 'enabled',
      message: `${actual.enabled ? 'enabled' : 'disabled'}, but the lock says ${locked.enabled ? 'enabled' : 'disabled'}`,
    });
  return drifts;
}

/** True when a drift keeps the plugin from starting (everything but the enabled flag). */
export function refusesStart(drift: LockDrift): boolean {
  return drift.kind !== 'enabled';
}

/** Describes a change of one grant (both normalised); undefined when it is the same. */
function grantChange(before: PermissionGrant, after: PermissionGrant): string | undefined {
  if (typeof before === 'boolean' && typeof after === 'boolean')
    return before === after ? undefined : after ? 'added' : 'removed';
  if (before === false) return `added (${list(after)})`;
  if (after === false) return 'removed';
  if (before === true) return `narrowed to ${list(after)}`;
  if (after === true) return 'widened to everything';
  const was = new Set(before as readonly string[]);
  const now = new Set(after as readonly string[]);
  const added = [...now].filter((item) => !was.has(item));
  const removed = [...was].filter((item) => !now.has(item));
  if (added.length === 0 && removed.length === 0) return undefined;
  const parts: string[] = [];
  if (added.length > 0) parts.push(`${added.join(', ')} added`);
  if (removed.length > 0) parts.push(`${removed.join(', ')} removed`);
  return `changed: ${parts.join('; ')}`;
}

function list(grant: PermissionGrant): string {
  return grant === true ? 'everything' : (grant as readonly string[]).join(', ');
}
