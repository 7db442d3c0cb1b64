import { dirname, resolve } from 'node:path';
import type { Permissions } from '../../types.js';

/**
 * The flag that turns Node's permission model on, by version: `--permission` since Node 22.13 / 23.5,
 * `--experimental-permission` before (from 20.0).
 */
export function permissionFlag(version: string = process.versions.node): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const stable = major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13);
  return stable ? '--permission' : '--experimental-permission';
}

export interface PermissionContext {
  /** Jovian's package folder: the guest code the child runs. */
  readonly guestRoot: string;
  /** The plugin's entry module. */
  readonly entry: string;
  readonly paths: { readonly data: string; readonly plugin: string; readonly project: string };
}

/**
 * Node flags for a plugin process. Reads: Jovian's guest code, the plugin's folder (and its entry's),
 * its data folder, and its fs_read grant (`true` = the project folder). Writes: its data folder and its
 * fs_write grant. Child processes only with run_commands; workers, addons and WASI never.
 * Node's model follows symbolic links and does not cover the network (see docs/permissions.md): the
 * host's bridge checks stay the first layer.
 */
export function permissionFlags(
  permissions: Permissions,
  context: PermissionContext,
  version?: string,
): string[] {
  const reads = new Set([
    context.guestRoot,
    context.paths.plugin,
    dirname(context.entry),
    context.paths.data,
  ]);
  const writes = new Set([context.paths.data]);
  const add = (target: Set<string>, grant: Permissions['fs_read']) => {
    if (grant === true) target.add(context.paths.project);
    else if (Array.isArray(grant)) for (const path of grant) target.add(resolve(context.paths.project, path));
  };
  add(reads, permissions.fs_read);
  add(writes, permissions.fs_write);
  for (const path of writes) reads.add(path);
  // The model's "experimental" warning is noise in every plugin log (Node >= 20.11 can silence it).
  const flags = [
    permissionFlag(version),
    '--disable-warning=ExperimentalWarning',
    ...[...reads].map((path) => `--allow-fs-read=${path}`),
    ...[...writes].map((path) => `--allow-fs-write=${path}`),
  ];
  if (permissions.run_commands !== false) flags.push('--allow-child-process');
  return flags;
}
