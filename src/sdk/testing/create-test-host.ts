import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { HookMap } from '../../hooks/index.js';
import { createHost, type HostOptions, type PluginHost } from '../../host/index.js';

export interface TestHostOptions<H extends HookMap> {
  /** Plugin folders, or single-file Lua plugins, to load (each linked into a fresh plugins directory). */
  readonly plugins?: readonly string[];
  /** Whole plugin directories to scan as well. */
  readonly pluginDirs?: readonly string[];
  /** The hooks the application under test declares. */
  readonly hooks?: H;
  /** Start the host (default true). */
  readonly start?: boolean;
  /** Structured-clone values crossing the plugin boundary, as isolated runtimes do (default true). */
  readonly strictClone?: boolean;
  /** Deadlines, shortened for tests (ms; default 2 000). */
  readonly timeoutMs?: number;
  /**
   * The isolation policy. Default: plugins run where their manifests say (you are testing your own
   * code); pass `{}` to test under the host's default policy, where unsigned plugins run in a process.
   */
  readonly isolation?: HostOptions['isolation'];
}

export interface TestHost<H extends HookMap> {
  readonly host: PluginHost<H>;
  /** A temporary data directory, removed by dispose(). */
  readonly dataDir: string;
  /** Stops the host and removes the temporary directories. */
  dispose(): Promise<void>;
}

/**
 * A real host in a throw-away data directory, for plugin tests: the plugin runs exactly as it would in
 * `jovian serve`, with strict cloning on so that values that would not survive an isolated runtime
 * fail in the test.
 * @example
 * const { host, dispose } = await createTestHost({ plugins: ['.'], hooks: createChatHooks() });
 * expect(await host.run('my_plugin', { city: 'Paris' })).toMatchObject({ ok: true });
 * await dispose();
 */
export async function createTestHost<H extends HookMap = HookMap>(
  options: TestHostOptions<H> = {},
): Promise<TestHost<H>> {
  const root = await mkdtemp(join(tmpdir(), 'jovian-test-'));
  const pluginsDir = join(root, 'plugins');
  await mkdir(pluginsDir);
  for (const folder of options.plugins ?? [])
    await symlink(resolve(folder), join(pluginsDir, basename(resolve(folder))));
  const timeout = options.timeoutMs ?? 2_000;
  const host = createHost({
    hooks: options.hooks,
    dataDir: join(root, 'data'),
    pluginDirs: [pluginsDir, ...(options.pluginDirs ?? [])],
    strictClone: options.strictClone ?? true,
    activationTimeoutMs: timeout,
    deactivationTimeoutMs: timeout,
    callTimeoutMs: timeout,
    manifestCache: false,
    isolation: options.isolation ?? { floor: { unsigned: 'inprocess' } },
  });
  if (options.start !== false) await host.start();
  return {
    host,
    dataDir: join(root, 'data'),
    async dispose() {
      await host.stop();
      // Writes the plugin started before it stopped (state, logs) may still land while the folder goes.
      await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}
