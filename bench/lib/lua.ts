/**
 * Shared by the Lua benchmarks: a temporary plugins directory of single-file Lua plugins for a host,
 * the seed's filters plugin, Jovian's Lua sandbox run in this thread (what the shared Lua worker runs
 * for each plugin, without the worker hop), and the raw wasmoon engine every case is compared with.
 *
 * wasmoon locates its WebAssembly file next to its own module, so bench/run.ts leaves it out of the
 * bundle (as scripts/build.mjs does for the Lua guest).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LuaEngine, LuaFactory } from 'wasmoon';
import { createHost, type HookMap, type PluginHost } from '../../src/index.js';
import { packageRoot } from '../../src/runtimes/guest-entry.js';
// Not exported by src/runtimes/index.ts (the guest side is bundled into the Lua worker): imported from
// the sandbox itself so that the in-thread subject is exactly what the worker runs per plugin.
import { createLuaSandbox } from '../../src/runtimes/lua/guest/lua-sandbox.js';
import type { LuaHostApi, LuaSandbox } from '../../src/runtimes/lua/guest/sandbox-types.js';

/**
 * The jovian package's folder, found from this module (bench/lib/ or, bundled, bench/.work/): bench/run.ts
 * sets `import.meta.dirname` to the case's folder for a whole bundle, so it cannot be used here.
 */
export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** The seed's filters plugin (lowercases and squeezes a message's spaces), as the demo ships it. */
export const FILTERS_FILE = join(PACKAGE_ROOT, 'examples', 'plugins', 'filters.lua');

/** Jovian's Lua sandbox as built for the Lua worker (`npm run build`), for scripts run in bare workers. */
export const BUILT_SANDBOX = join(PACKAGE_ROOT, 'dist', 'runtimes', 'lua', 'guest', 'lua-sandbox.js');

/** The payload of the filter_message comparisons, and what the filters plugin makes of it. */
export const MESSAGE = { role: 'user', content: '  Hello   THERE  ' } as const;
export const FILTERED = ' hello there ';

/** What src/runtimes/lua/guest/lua-guest.ts gives a plugin without `limits`: 16 MiB, 10M instructions. */
export const SANDBOX_LIMITS = { memoryBytes: 16 * 1024 * 1024, instructionLimit: 10_000_000 } as const;

export interface LuaFile {
  /** Plugin id; the file is `<id>.lua`. */
  readonly id: string;
  /** The whole file, header included. */
  readonly source: string;
}

export interface LuaBenchFolder {
  readonly root: string;
  readonly pluginsDir: string;
  readonly dataDir: string;
  cleanup(): void;
}

/** Writes each plugin as a single `.lua` file directly in a fresh plugins directory. */
export function createLuaFolder(prefix: string, files: readonly LuaFile[]): LuaBenchFolder {
  const root = mkdtempSync(join(tmpdir(), `jovian-bench-${prefix}-`));
  const pluginsDir = join(root, 'plugins');
  mkdirSync(pluginsDir, { recursive: true });
  for (const file of files) writeFileSync(join(pluginsDir, `${file.id}.lua`), file.source);
  return {
    root,
    pluginsDir,
    dataDir: join(root, 'data'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The seed's filters.lua, verbatim. */
export function filtersSource(): string {
  return readFileSync(FILTERS_FILE, 'utf8');
}

/**
 * A small distinct plugin: a header and a filter that tags the message with its own id (so that no
 * two sources are equal and a hook call shows every plugin ran).
 */
export function generatedPlugin(index: number): LuaFile {
  const id = `lua_${String(index).padStart(3, '0')}`;
  return {
    id,
    source: `-- @id ${id}
-- @name Generated Lua plugin ${index}
-- @version 1.0.${index}
-- @author Bench
-- @description A small filter, one of many, for the load and memory benchmarks

local seen = 0

function filter_message(message)
    seen = seen + 1
    message.content = string.gsub(message.content, "%s+", " ")
    message.tags = message.tags or {}
    message.tags[#message.tags + 1] = "${id}"
    return message
end
`,
  };
}

/**
 * A started host over `folder`. Lua plugins run in the shared Lua worker under the default isolation
 * policy (the Lua sandbox satisfies every trust floor), so no policy is given.
 */
export async function startLuaHost<H extends HookMap>(
  folder: LuaBenchFolder,
  hooks: H,
): Promise<PluginHost<H>> {
  const host = createHost<H>({
    hooks,
    pluginDirs: [folder.pluginsDir],
    dataDir: folder.dataDir,
    manifestCache: false,
  });
  await host.start();
  return host;
}

/** Fails unless `id` is active in the Lua runtime (so a case measures what it says). */
export function assertLua(host: PluginHost<HookMap>, id: string): void {
  const record = host.record(id);
  if (record?.state !== 'ready' || record.manifest?.runtime !== 'lua' || !record.active)
    throw new Error(
      `plugin \`${id}\` should be active in lua; it is ${record?.state} in ${record?.manifest?.runtime}`,
    );
}

/**
 * The host API a sandbox in this thread gets: config and state from local maps, as the guest's
 * LocalData answers them (synchronously, from copies); writes, logs and events go nowhere.
 */
export function localHostApi(state: ReadonlyMap<string, unknown> = new Map()): LuaHostApi {
  return {
    log: () => undefined,
    configGet: () => undefined,
    configSet: () => undefined,
    stateGet: (key) => state.get(key),
    stateSet: () => undefined,
    emit: () => undefined,
    subscribe: () => undefined,
    http: () => Promise.reject(new Error('no network in the bench')),
  };
}

/** Jovian's hardened sandbox in this thread, with the guest's default limits, `source` loaded. */
export async function loadedSandbox(
  factory: LuaFactory,
  id: string,
  source: string,
  api: LuaHostApi = localHostApi(),
): Promise<LuaSandbox> {
  const sandbox = await createLuaSandbox(factory, { id, ...SANDBOX_LIMITS, api });
  await sandbox.load(source, `${id}.lua`);
  return sandbox;
}

/**
 * The raw mechanism: a wasmoon engine from `factory` with the standard libraries and plain tables
 * (`enableProxy: false`: a JS object crosses as a copied table, as it does in Jovian, instead of a
 * proxy whose every field access calls back into JS and whose writes change the caller's object).
 */
export async function rawEngine(
  factory: LuaFactory,
  options: { traceAllocations?: boolean } = {},
): Promise<LuaEngine> {
  return factory.createEngine({ enableProxy: false, traceAllocations: options.traceAllocations === true });
}

export { LuaFactory };
