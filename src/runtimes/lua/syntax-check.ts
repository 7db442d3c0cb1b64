import type { LuaEngine } from 'wasmoon';

let compiler: Promise<LuaEngine> | undefined;

/** Where a Lua compile error points, and what it says. */
export interface LuaSyntaxError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Compiles a Lua plugin's source without running any of it (`luaL_loadbuffer` in text mode, in a
 * bare Lua state with no library), so that `plugins doctor` and hot reload can report a syntax error
 * at its file and line before the plugin is loaded. Undefined when the source compiles.
 */
export async function checkLuaSyntax(source: string, file: string): Promise<LuaSyntaxError | undefined> {
  compiler ??= import('wasmoon').then(({ LuaFactory }) =>
    new LuaFactory().createEngine({ openStandardLibs: false, injectObjects: false, enableProxy: false }),
  );
  const engine = await compiler;
  const lua = engine.global.lua;
  const L = engine.global.address;
  // As luaL_loadfile does: a byte-order mark and a first line starting with '#' are not Lua.
  const text = source.replace(/^\uFEFF/, '').replace(/^#[^\n]*/, '');
  // The source goes through the module's heap, not its small stack (where a string argument would go).
  const module = lua.module as unknown as {
    _malloc(size: number): number;
    _free(pointer: number): void;
    HEAPU8: Uint8Array;
  };
  const bytes = Buffer.from(text, 'utf8');
  const buffer = module._malloc(bytes.length + 1);
  if (buffer === 0) throw new Error(`cannot allocate ${bytes.length} bytes to compile ${file}`);
  let status: number;
  try {
    module.HEAPU8.set(bytes, buffer);
    status = lua.luaL_loadbufferx(L, buffer, bytes.length, `@${file}`, 't');
  } finally {
    module._free(buffer);
  }
  const message = status === 0 ? undefined : lua.lua_tolstring(L, -1, null);
  lua.lua_settop(L, 0);
  if (message === undefined) return undefined;
  const at = /^(.*?):(\d+): (.*)$/s.exec(message);
  return at
    ? { file: at[1] ?? file, line: Number(at[2]), message: at[3] ?? message }
    : { file, line: 1, message };
}
