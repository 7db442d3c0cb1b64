import { homedir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { PermissionGrant } from '../types.js';
import type { AccessDecision } from './access-decision.js';

export interface FsRoots {
  /** Always readable: the plugin's own folder. */
  readonly pluginDir: string;
  /** Always readable and writable: the plugin's data folder. */
  readonly dataDir: string;
  /** What `true` grants, and the base of relative grants. */
  readonly projectDir: string;
}

/** True when `path` is `root` or inside it, by path segments (`/data/a` does not contain `/data/ab`). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A grant entry as an absolute path: `~` expanded, relative entries taken from the project folder. */
export function grantPath(entry: string, projectDir: string): string {
  const expanded =
    entry === '~'
      ? homedir()
      : entry.startsWith(`~${sep}`) || entry.startsWith('~/')
        ? resolve(homedir(), entry.slice(2))
        : entry;
  return resolve(projectDir, expanded);
}

/**
 * May the plugin read (`fs_read`) or write (`fs_write`) `realPath`? The caller resolves symbolic links
 * first, so the decision is about where the path really leads. Always allowed: reading the plugin's own
 * folder, reading and writing its data folder. `true` grants the project folder — not the whole disk;
 * a list grants those paths and everything below them.
 */
export function decideFsAccess(
  permission: 'fs_read' | 'fs_write',
  grant: PermissionGrant,
  realPath: string,
  roots: FsRoots,
): AccessDecision {
  const decision = (allowed: boolean, reason: string): AccessDecision => ({
    allowed,
    permission,
    target: realPath,
    reason,
  });
  if (isInside(roots.dataDir, realPath)) return decision(true, "inside the plugin's data folder");
  if (permission === 'fs_read' && isInside(roots.pluginDir, realPath))
    return decision(true, "inside the plugin's own folder");
  if (grant === false) return decision(false, `${permission} is not granted`);
  if (grant === true) {
    return isInside(roots.projectDir, realPath)
      ? decision(true, `${permission}: true grants the project folder`)
      : decision(false, `${permission}: true grants the project folder ${roots.projectDir} only`);
  }
  for (const entry of grant) {
    const root = grantPath(entry, roots.projectDir);
    if (isInside(root, realPath)) return decision(true, `granted by ${permission} entry ${entry}`);
  }
  return decision(false, `not under any ${permission} entry (${grant.join(', ')})`);
}
