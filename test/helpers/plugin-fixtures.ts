import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface FixturePlugin {
  /** plugin.yaml content as an object (id, type, version, engines and main default sensibly). */
  readonly manifest?: Record<string, unknown>;
  /** The entry module's source (ESM). Default: an empty plugin. */
  readonly code?: string;
  /** Extra files, by relative path. */
  readonly files?: Readonly<Record<string, string>>;
  /** Raw plugin.yaml text instead of `manifest`. */
  readonly yaml?: string;
}

/** A temporary plugins directory plus a data directory, removed by `cleanup()`. */
export interface Fixture {
  readonly root: string;
  readonly pluginsDir: string;
  readonly dataDir: string;
  add(id: string, plugin?: FixturePlugin): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'jovian-fixture-'));
  const pluginsDir = join(root, 'plugins');
  const dataDir = join(root, 'data');
  await mkdir(pluginsDir, { recursive: true });
  return {
    root,
    pluginsDir,
    dataDir,
    async add(id, plugin = {}) {
      const dir = join(pluginsDir, id);
      await mkdir(dir, { recursive: true });
      const manifest = {
        id,
        type: 'tool',
        version: '1.0.0',
        engines: { jovian: '*' },
        main: 'index.mjs',
        ...plugin.manifest,
      };
      await writeFile(join(dir, 'plugin.yaml'), plugin.yaml ?? stringify(manifest));
      await writeFile(join(dir, 'index.mjs'), plugin.code ?? 'export default { activate() {} };\n');
      for (const [path, content] of Object.entries(plugin.files ?? {})) {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), content);
      }
      return dir;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * The isolation policy that runs every plugin where its manifest says: for tests about runtimes and the
 * lifecycle, not about the policy (which by default moves unsigned plugins into their own process).
 */
export const AS_DECLARED = { floor: { unsigned: 'inprocess' } } as const;
