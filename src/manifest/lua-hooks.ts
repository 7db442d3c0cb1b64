import { LUA_HOOK_NAMES } from '../types.js';
import { type LuaGlobalFunction, topLevelGlobalFunctions } from './lua-source-scan.js';
import type { RawManifest } from './schema.js';

const HOOKS: ReadonlySet<string> = new Set(LUA_HOOK_NAMES);

/**
 * The hooks a Lua chunk taps: the global functions it defines at its top level whose names are in
 * `LUA_HOOK_NAMES`, in source order. Reads the text only; no Lua runs.
 * @example
 * luaHooksOf('function on_chat(m) return m end\nlocal function helper() end').map((h) => h.name);
 * // ['on_chat']
 */
export function luaHooksOf(source: string): LuaGlobalFunction[] {
  return topLevelGlobalFunctions(source).filter((fn) => HOOKS.has(fn.name));
}

/**
 * A `runtime: lua` plugin.yaml that lists no `contributes.hooks` gets them from its `main` file, read
 * through `readMain` (undefined when it cannot be read: the manifest is then left as it is, and
 * `plugins doctor` reports the missing entry file). Other manifests are returned unchanged.
 */
export function withLuaHooksFromMain(
  raw: RawManifest,
  readMain: ((main: string) => string | undefined) | undefined,
): RawManifest {
  if (raw.runtime !== 'lua' || raw.contributes?.hooks !== undefined || !raw.main || !readMain) return raw;
  const source = readMain(raw.main);
  if (source === undefined) return raw;
  const hooks = luaHooksOf(source).map((hook) => hook.name);
  return hooks.length === 0 ? raw : { ...raw, contributes: { ...raw.contributes, hooks } };
}
