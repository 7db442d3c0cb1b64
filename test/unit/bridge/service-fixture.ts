import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry, ServiceScope } from '../../../src/bridge/index.js';
import type { PermissionGrant, Permissions } from '../../../src/types.js';

/** A plugin's folders in a fresh temporary root: project/ and plugin/ exist, data/ does not yet. */
export interface Sandbox {
  readonly root: string;
  readonly projectDir: string;
  readonly pluginDir: string;
  readonly dataDir: string;
  scope(
    grants?: Partial<Record<keyof Permissions, PermissionGrant>>,
  ): ServiceScope & { entries: AuditEntry[] };
  remove(): Promise<void>;
}

export async function createSandbox(): Promise<Sandbox> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'jovian-bridge-')));
  const projectDir = join(root, 'project');
  const pluginDir = join(root, 'plugin');
  const dataDir = join(root, 'data', 'notes');
  await mkdir(projectDir);
  await mkdir(pluginDir);
  return {
    root,
    projectDir,
    pluginDir,
    dataDir,
    scope(grants = {}) {
      const entries: AuditEntry[] = [];
      return {
        pluginId: 'notes',
        permissions: {
          fs_read: false,
          fs_write: false,
          run_commands: false,
          network_outbound: false,
          ...grants,
        },
        pluginDir,
        dataDir,
        projectDir,
        audit: { record: (entry) => entries.push(entry) },
        entries,
      };
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
