import { mkdir, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { JovianError } from '../../errors.js';
import type { FileStat, Handlers, HostCalls } from '../../runtimes/index.js';
import { decideFsAccess, grantPath, isPathInside, permissionDenied } from '../../security/index.js';
import type { PermissionGrant } from '../../types.js';
import { writeFileAtomic } from '../../util/index.js';
import type { ServiceScope } from './service-scope.js';

/** The largest file `fs.readFile` returns. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

type FsCalls = Pick<Handlers<HostCalls>, 'fs.readFile' | 'fs.writeFile' | 'fs.readdir' | 'fs.stat'>;

/**
 * `ctx.fs`: files within the plugin's grants, its own folder (read) and its data folder (read/write).
 *
 * Paths are absolute or relative to the project folder. Each is judged by where it really leads:
 * `..` is folded, then symbolic links are resolved with realpath (for a file that does not exist yet,
 * its parent folder's realpath plus its name); the folders it is compared with (plugin, data, project
 * and grant entries) are resolved the same way. The operation then uses that resolved path, so what is
 * judged is what is touched. Every decision is audited (action = the HostCalls method) and a refusal
 * throws `JOVIAN_E_PERMISSION_DENIED` naming the entry to add. A missing path only reports
 * `JOVIAN_E_FS_NOT_FOUND` when the plugin may see it, so denials do not reveal what exists.
 *
 * Not guaranteed: a path changed on disk by someone else between the check and the operation (the
 * plugin itself can only change files through this service, or through commands it was granted).
 */
export function createFsService(scope: ServiceScope): FsCalls {
  return {
    'fs.readFile': async (path) => {
      const real = await authorisePath(scope, 'fs_read', path, 'fs.readFile');
      return readCapped(real, scope.pluginId);
    },
    'fs.writeFile': async (path, data) => {
      if (typeof data !== 'string' && !(data instanceof Uint8Array))
        throw badArgument(scope.pluginId, 'fs.writeFile', 'data must be a string or a Uint8Array');
      const real = await authorisePath(scope, 'fs_write', path, 'fs.writeFile');
      await writeFileAtomic(real, data, { createDir: false });
    },
    'fs.readdir': async (path) => {
      const real = await authorisePath(scope, 'fs_read', path, 'fs.readdir');
      return (await readdir(real).catch(ioFailure(scope.pluginId, 'list', real))).sort();
    },
    'fs.stat': async (path): Promise<FileStat> => {
      const real = await authorisePath(scope, 'fs_read', path, 'fs.stat');
      const info = await stat(real).catch(ioFailure(scope.pluginId, 'stat', real));
      return {
        size: info.size,
        isFile: info.isFile(),
        isDirectory: info.isDirectory(),
        mtimeMs: info.mtimeMs,
      };
    },
  };
}

/**
 * Resolves `path` (absolute, or relative to the project folder) to where it really leads, decides
 * `permission` on it, audits the decision under `action` and returns the resolved path.
 * For `fs_write` the target may be missing but its folder must exist; for `fs_read` it must exist.
 * @throws JOVIAN_E_PERMISSION_DENIED, JOVIAN_E_FS_NOT_FOUND, JOVIAN_E_FILE_READ_FAILED, JOVIAN_E_PROTOCOL_ERROR
 */
export async function authorisePath(
  scope: ServiceScope,
  permission: 'fs_read' | 'fs_write',
  path: string,
  action: string,
): Promise<string> {
  if (typeof path !== 'string' || path === '' || path.includes('\0'))
    throw badArgument(scope.pluginId, action, 'the path must be a non-empty string');
  const requested = resolve(scope.projectDir, path);
  // The data folder is the plugin's own: it exists as soon as the plugin touches it.
  if (isPathInside(scope.dataDir, requested))
    await mkdir(scope.dataDir, { recursive: true }).catch(() => undefined);
  const [target, pluginDir, dataDir, projectDir, grant] = await Promise.all([
    resolveReal(requested),
    resolveReal(scope.pluginDir).then((r) => r.path),
    resolveReal(scope.dataDir).then((r) => r.path),
    resolveReal(scope.projectDir).then((r) => r.path),
    realGrant(scope.permissions[permission], scope.projectDir),
  ]);
  const decision = decideFsAccess(permission, grant, target.path, { pluginDir, dataDir, projectDir });
  const asked = path === target.path ? '' : ` (asked for ${path})`;
  scope.audit.record({
    plugin: scope.pluginId,
    action,
    target: target.path,
    decision: decision.allowed ? 'allow' : 'deny',
    permission,
    reason: decision.reason + asked,
  });
  if (!decision.allowed) throw permissionDenied(decision, scope.pluginId);
  if (
    target.missing === 0 ||
    (permission === 'fs_write' && target.missing === 1 && target.error === undefined)
  )
    return target.path;
  if (target.error !== undefined) {
    throw new JovianError(
      'JOVIAN_E_FILE_READ_FAILED',
      `plugin \`${scope.pluginId}\`: cannot resolve ${target.path}${asked}: ${target.error.message}`,
      { cause: target.error },
    );
  }
  const what = permission === 'fs_write' ? `the folder ${dirname(target.path)}` : target.path;
  throw new JovianError(
    'JOVIAN_E_FS_NOT_FOUND',
    `plugin \`${scope.pluginId}\`: ${what} does not exist${asked}`,
    permission === 'fs_write'
      ? { hint: 'Create the folder first; ctx.fs.writeFile does not create folders.' }
      : {},
  );
}

interface RealPath {
  /** The realpath of the deepest existing ancestor, plus the missing names. */
  readonly path: string;
  /** How many trailing names do not exist (0: the whole path exists). */
  readonly missing: number;
  /** Set when resolution failed for another reason than a missing name (permissions, a loop…). */
  readonly error?: Error | undefined;
}

/** Where an absolute path really leads, as far as it exists. Never throws. */
async function resolveReal(absolute: string): Promise<RealPath> {
  const names: string[] = [];
  let current = absolute;
  let error: Error | undefined;
  for (;;) {
    try {
      const real = await realpath(current);
      return {
        path: names.length === 0 ? real : join(real, ...names.reverse()),
        missing: names.length,
        error,
      };
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') error ??= cause as Error;
      const parent = dirname(current);
      if (parent === current) return { path: absolute, missing: names.length, error };
      names.push(basename(current));
      current = parent;
    }
  }
}

/** Grant entries as real paths, so that a granted symbolic link to a folder grants that folder. */
async function realGrant(grant: PermissionGrant, projectDir: string): Promise<PermissionGrant> {
  if (typeof grant === 'boolean') return grant;
  return Promise.all(grant.map(async (entry) => (await resolveReal(grantPath(entry, projectDir))).path));
}

/** Reads at most MAX_READ_BYTES; a larger file (or one that grows past it) is refused. */
async function readCapped(real: string, pluginId: string): Promise<Uint8Array> {
  const info = await stat(real).catch(ioFailure(pluginId, 'read', real));
  // Only regular files: a FIFO would block and a device could stream forever.
  if (!info.isFile())
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `plugin \`${pluginId}\`: ${real} is not a file`, {
      hint: info.isDirectory() ? 'Use ctx.fs.readdir to list a folder.' : undefined,
    });
  if (info.size > MAX_READ_BYTES) throw tooLarge(pluginId, real, info.size);
  const handle = await open(real, 'r').catch(ioFailure(pluginId, 'read', real));
  try {
    const buffer = Buffer.allocUnsafe(Math.min(info.size + 1, MAX_READ_BYTES + 1) || 1);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_READ_BYTES) throw tooLarge(pluginId, real, total);
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (error) {
    if (error instanceof JovianError) throw error;
    throw ioFailure(pluginId, 'read', real)(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooLarge(pluginId: string, real: string, size: number): JovianError {
  return new JovianError(
    'JOVIAN_E_FS_TOO_LARGE',
    `plugin \`${pluginId}\`: ${real} is ${size} bytes or more; ctx.fs.readFile returns at most ${MAX_READ_BYTES} bytes (64 MiB)`,
  );
}

function ioFailure(pluginId: string, verb: string, real: string): (error: unknown) => never {
  return (error) => {
    throw new JovianError(
      'JOVIAN_E_FILE_READ_FAILED',
      `plugin \`${pluginId}\`: cannot ${verb} ${real}: ${(error as Error).message}`,
      { cause: error },
    );
  };
}

function badArgument(pluginId: string, action: string, problem: string): JovianError {
  return new JovianError(
    'JOVIAN_E_PROTOCOL_ERROR',
    `plugin \`${pluginId}\` called ${action} wrongly: ${problem}`,
    {
      hint: 'Pass the arguments the plugin API documents (src/runtimes/rpc/plugin-api.ts).',
    },
  );
}
