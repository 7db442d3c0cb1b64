import { type LockEntry, normaliseLockedPermissions } from '../config/index.js';
import type { Permissions } from '../types.js';
import { pluginContentHash } from './content-hash.js';

/** What a lock entry is built from: a plugin on disk and its manifest. */
export interface LockablePlugin {
  /** The plugin folder, or the `.lua` file of a single-file Lua plugin. */
  readonly path: string;
  readonly manifest: { readonly id: string; readonly version: string; readonly permissions: Permissions };
}

/**
 * The jovian.lock entry of a plugin as it is now: its version, content hash, permissions and enabled
 * flag, plus the installer's `source`, `trust` and `signer` when given.
 * @example
 * await writeLockEntry(lockFile, manifest.id, await lockEntryFor({ path: dir, manifest }, true, { source }));
 */
export async function lockEntryFor(
  plugin: LockablePlugin,
  enabled: boolean,
  extras: Pick<LockEntry, 'source' | 'trust' | 'signer'> = {},
): Promise<LockEntry> {
  const { id, version, permissions } = plugin.manifest;
  return {
    version,
    hash: await pluginContentHash(plugin.path, id, version),
    permissions: normaliseLockedPermissions(permissions),
    enabled,
    ...definedOnly(extras),
  };
}

function definedOnly(extras: Pick<LockEntry, 'source' | 'trust' | 'signer'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(extras)) if (typeof value === 'string') out[key] = value;
  return out;
}
