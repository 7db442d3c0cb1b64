import { homedir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { PermissionGrant } from '../types.js';
import type { AccessDecision } from './access-decision.js';

/** The folders a file decision is made against, as absolute (and ideally real) paths. */
export interface FsRoots {
  /** Always readable: the plugin's own folder. */
  readonly pluginDir: string;
  /** Always readable and writable: the plugin's data folder. */
  readonly dataDir: string;
  /** What `true` grants, and the base of relative grant entries. */
  readonly projectDir: string;
  /** What `~` expands to in grant entries; defaults to the current user's home folder. */
  readonly homeDir?: string | undefined;
}

/**
 * True when `path` is `root` or below it, compared by path segments: `/data/a` contains `/data/a/b`
 * but not `/data/ab`. Both must be absolute; nothing is resolved on disk.
 */
export function isPathInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * A grant entry as an absolute path: `~` and `~/…` expand to the home folder, relative entries start
 * at the project folder. Lexical only — symbolic links are the caller's business.
 */
export function grantPath(entry: string, projectDir: string, homeDir: string = homedir()): string {
  if (entry === '~') return homeDir;
  if (entry.startsWith('~/') || entry.startsWith(`~${sep}`)) return resolve(homeDir, entry.slice(2));
  return resolve(projectDir, entry);
}

/**
 * May the plugin read (`fs_read`) or write (`fs_write`) `realPath`?
 *
 * `realPath` must be absolute and already resolved by the caller (the realpath of the target, or of its
 * parent plus the name for a file that does not exist yet), so the decision is about where the path
 * really leads; this function touches no disk. For the same reason the roots and grant entries should
 * be real paths too (the bridge resolves them).
 * - Always allowed: reading inside the plugin's own folder; reading and writing inside its data folder.
 * - `true` grants the project folder and everything below it — not the whole disk.
 * - A list grants those paths and everything below them (absolute, relative to the project folder, or
 *   starting with `~`). Matching is by path segments.
 * - `false`, or no matching entry: denied.
 * @example
 * decideFsAccess('fs_read', ['/srv/data'], '/srv/data/a.csv', roots).allowed; // true
 * decideFsAccess('fs_read', ['/srv/data'], '/srv/database/a', roots).allowed; // false
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
  if (typeof realPath !== 'string' || !isAbsolute(realPath))
    return decision(false, 'the path is not absolute (it must be resolved before it is judged)');
  if (isPathInside(roots.dataDir, realPath)) return decision(true, "inside the plugin's data folder");
  if (permission === 'fs_read' && isPathInside(roots.pluginDir, realPath))
    return decision(true, "inside the plugin's own folder");
  if (grant === false) return decision(false, `${permission} is not granted`);
  if (grant === true) {
    return isPathInside(roots.projectDir, realPath)
      ? decision(true, `${permission}: true grants the project folder`)
      : decision(
          false,
          `outside the project folder ${roots.projectDir}, the only folder ${permission}: true grants`,
        );
  }
  for (const entry of grant) {
    if (isPathInside(grantPath(entry, roots.projectDir, roots.homeDir), realPath))
      return decision(true, `granted by ${permission} entry ${entry}`);
  }
  return decision(
    false,
    grant.length === 0
      ? `${permission} lists no paths`
      : `not under any ${permission} entry (${grant.join(', ')})`,
  );
}
