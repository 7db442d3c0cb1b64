import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls } from '../../runtimes/index.js';
import { decideFsAccess, permissionDenied } from '../../security/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { ServiceScope } from './service-scope.js';

const MAX_READ_BYTES = 64 * 1024 * 1024;

type FsCalls = Pick<Handlers<HostCalls>, 'fs.readFile' | 'fs.writeFile' | 'fs.readdir' | 'fs.stat'>;

/**
 * `ctx.fs`: files within the plugin's grants. Every path is judged by where it really leads (symbolic
 * links and `..` resolved with realpath; for a new file, its parent folder), every decision is
 * audited, and a refusal names the permission to add.
 */
export function createFsService(scope: ServiceScope): FsCalls {
  const roots = { pluginDir: scope.pluginDir, dataDir: scope.dataDir, projectDir: scope.projectDir };

  async function authorise(
    permission: 'fs_read' | 'fs_write',
    path: string,
    action: string,
    mustExist: boolean,
  ): Promise<string> {
    if (typeof path !== 'string' || path === '')
      throw new JovianError(
        'JOVIAN_E_PERMISSION_DENIED',
        `plugin \`${scope.pluginId}\` passed an empty path to ctx.fs`,
      );
    const requested = resolve(scope.projectDir, path);
    const real = await resolveReal(requested, mustExist, scope.pluginId);
    const decision = decideFsAccess(permission, scope.permissions[permission], real, roots);
    scope.audit.record({
      plugin: scope.pluginId,
      action,
      target: real,
      decision: decision.allowed ? 'allow' : 'deny',
      permission,
      reason: decision.reason,
    });
    if (!decision.allowed)
      throw permissionDenied(
        decision,
        scope.pluginId,
        action === 'fs.write' ? 'write' : 'read',
        dirname(real),
      );
    return real;
  }

  return {
    'fs.readFile': async (path) => {
      const real = await authorise('fs_read', path, 'fs.read', true);
      const info = await stat(real);
      if (info.size > MAX_READ_BYTES) {
        throw new JovianError(
          'JOVIAN_E_FS_TOO_LARGE',
          `${real} is ${info.size} bytes; ctx.fs reads at most ${MAX_READ_BYTES}`,
        );
      }
      return new Uint8Array(await readFile(real));
    },
    'fs.writeFile': async (path, data) => {
      const real = await authorise('fs_write', path, 'fs.write', false);
      await writeFileAtomic(real, data, { createDir: false });
    },
    'fs.readdir': async (path) => {
      const real = await authorise('fs_read', path, 'fs.read', true);
      return (await readdir(real)).sort();
    },
    'fs.stat': async (path) => {
      const real = await authorise('fs_read', path, 'fs.read', true);
      const info = await stat(real);
      return {
        size: info.size,
        isFile: info.isFile(),
        isDirectory: info.isDirectory(),
        mtimeMs: info.mtimeMs,
      };
    },
  };
}

/** Where `path` really is: its realpath, or (for a file that does not exist yet) its parent's realpath + name. */
async function resolveReal(path: string, mustExist: boolean, pluginId: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || mustExist) {
      throw new JovianError('JOVIAN_E_FS_NOT_FOUND', `plugin \`${pluginId}\`: ${path} does not exist`, {
        cause: error,
      });
    }
  }
  try {
    return join(await realpath(dirname(path)), basename(path));
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_FS_NOT_FOUND',
      `plugin \`${pluginId}\`: the folder of ${path} does not exist`,
      { cause: error },
    );
  }
}
