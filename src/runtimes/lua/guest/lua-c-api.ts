/**
 * The part of Lua 5.4's C API the sandbox uses, bound straight to the WebAssembly exports of wasmoon's
 * module: wasmoon's own `cwrap` wrappers cost about four times more per call, and the sandbox makes a
 * few dozen calls per plugin call. Strings cross through one scratch buffer per Lua state, with their
 * byte length, so Lua strings holding NUL bytes survive.
 *
 * Contract: every function here must be called outside Lua code (host side) or from a host function;
 * a Lua error raised inside one (out of memory) unwinds to the nearest protected call, and outside a
 * protected call it aborts the whole WebAssembly module — callers lift the memory cap around host-side
 * allocations for that reason (see `withoutMemoryCap` in lua-sandbox.ts).
 */
import { LUA_REGISTRYINDEX, type LuaWasm } from 'wasmoon';

/** A `lua_State *`: the main state or one of its threads. */
export type LuaState = number;

export { LUA_REGISTRYINDEX };
/** Registry slot of the global table (`LUA_RIDX_GLOBALS`). */
export const LUA_RIDX_GLOBALS = 2n;

/** `lua_type` results. */
export const LUA_TNONE = -1;
export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;
export const LUA_TFUNCTION = 6;

/** Status codes of `lua_resume` / `lua_pcall`. */
export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_ERRMEM = 4;

export const LUA_MASKCOUNT = 8;

const TYPE_NAMES = [
  'nil',
  'boolean',
  'light userdata',
  'number',
  'string',
  'table',
  'function',
  'userdata',
  'thread',
];

/** Lua's name of a `lua_type` result. */
export function luaTypeName(type: number): string {
  return TYPE_NAMES[type] ?? 'no value';
}

const EXPORTS = [
  '_lua_checkstack',
  '_lua_createtable',
  '_lua_error',
  '_lua_gettop',
  '_lua_isinteger',
  '_lua_isyieldable',
  '_lua_newthread',
  '_lua_next',
  '_lua_pcallk',
  '_lua_pushboolean',
  '_lua_pushcclosure',
  '_lua_pushinteger',
  '_lua_pushlstring',
  '_lua_pushnil',
  '_lua_pushnumber',
  '_lua_rawequal',
  '_lua_rawget',
  '_lua_rawgeti',
  '_lua_rawset',
  '_lua_rawseti',
  '_lua_resume',
  '_lua_sethook',
  '_lua_settop',
  '_lua_toboolean',
  '_lua_tolstring',
  '_lua_tonumberx',
  '_lua_topointer',
  '_lua_type',
  '_lua_yieldk',
  '_luaL_ref',
  '_luaL_traceback',
  '_luaL_unref',
  '_malloc',
  '_free',
] as const;

/** The C functions, as wasm exports: pointers and `int`s are numbers, a `lua_Integer` is a bigint. */
export interface LuaExports {
  _lua_checkstack(L: LuaState, n: number): number;
  _lua_createtable(L: LuaState, narr: number, nrec: number): void;
  _lua_error(L: LuaState): number;
  _lua_gettop(L: LuaState): number;
  _lua_isinteger(L: LuaState, index: number): number;
  _lua_isyieldable(L: LuaState): number;
  _lua_newthread(L: LuaState): LuaState;
  _lua_next(L: LuaState, index: number): number;
  _lua_pcallk(L: LuaState, nargs: number, nresults: number, msgh: number, ctx: number, k: number): number;
  _lua_pushboolean(L: LuaState, b: number): void;
  _lua_pushcclosure(L: LuaState, fn: number, n: number): void;
  _lua_pushinteger(L: LuaState, n: bigint): void;
  _lua_pushlstring(L: LuaState, s: number, len: number): number;
  _lua_pushnil(L: LuaState): void;
  _lua_pushnumber(L: LuaState, n: number): void;
  _lua_rawequal(L: LuaState, a: number, b: number): number;
  _lua_rawget(L: LuaState, index: number): number;
  _lua_rawgeti(L: LuaState, index: number, n: bigint): number;
  _lua_rawset(L: LuaState, index: number): void;
  _lua_rawseti(L: LuaState, index: number, n: bigint): void;
  _lua_resume(L: LuaState, from: LuaState, nargs: number, nresults: number): number;
  _lua_sethook(L: LuaState, hook: number, mask: number, count: number): void;
  _lua_settop(L: LuaState, index: number): void;
  _lua_toboolean(L: LuaState, index: number): number;
  _lua_tolstring(L: LuaState, index: number, len: number): number;
  _lua_tonumberx(L: LuaState, index: number, isnum: number): number;
  _lua_topointer(L: LuaState, index: number): number;
  _lua_type(L: LuaState, index: number): number;
  _lua_yieldk(L: LuaState, nresults: number, ctx: number, k: number): number;
  _luaL_ref(L: LuaState, table: number): number;
  _luaL_traceback(L: LuaState, L1: LuaState, message: number, level: number): void;
  _luaL_unref(L: LuaState, table: number, ref: number): void;
  _malloc(size: number): number;
  _free(pointer: number): void;
}

const SMALL_BUFFER = 1024;

/** The C API of one Lua state's module, with string transfer. Not thread-safe; one per sandbox. */
export class LuaCApi {
  readonly c: LuaExports;
  readonly #wasm: LuaWasm;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();
  /** Out-parameters (`size_t *len`, `int *nresults`). */
  readonly #out: number;
  #buffer: number;
  /** How many values the last `resume` left on the thread's stack. */
  resultCount = 0;
  #capacity = SMALL_BUFFER;

  constructor(wasm: LuaWasm) {
    const module = wasm.module as unknown as Record<string, unknown>;
    const missing = EXPORTS.filter((name) => typeof module[name] !== 'function');
    if (missing.length > 0)
      throw new Error(
        `this wasmoon build does not export ${missing.join(', ')}; Jovian's Lua sandbox needs them`,
      );
    this.c = module as unknown as LuaExports;
    this.#wasm = wasm;
    this.#out = this.c._malloc(8);
    this.#buffer = this.c._malloc(this.#capacity);
  }

  /** A function callable from wasm (`'ii'`: a C function, `'vii'`: a hook); free it with `removeFunction`. */
  addFunction(fn: (...args: number[]) => number | undefined, signature: 'ii' | 'vii'): number {
    return this.#wasm.module.addFunction(fn, signature);
  }

  removeFunction(pointer: number): void {
    this.#wasm.module.removeFunction(pointer);
  }

  /** Pushes a JS string as a Lua string (UTF-8). */
  pushString(L: LuaState, text: string): void {
    const length = this.#encode(text);
    this.c._lua_pushlstring(L, this.#buffer, length);
  }

  /** The string at `index`, which must be of type string (a number would be converted in place). */
  toString(L: LuaState, index: number): string {
    const pointer = this.c._lua_tolstring(L, index, this.#out);
    const length = this.#wasm.module.HEAPU32[this.#out >> 2] ?? 0;
    return this.#decoder.decode(this.#wasm.module.HEAPU8.subarray(pointer, pointer + length));
  }

  /** Resumes thread `L` with `nargs` arguments; `resultCount` then holds how many values it left. */
  resume(L: LuaState, nargs: number): number {
    const status = this.c._lua_resume(L, 0, nargs, this.#out);
    this.resultCount = this.#wasm.module.HEAP32[this.#out >> 2] ?? 0;
    return status;
  }

  /** Compiles `source` (text only) and pushes it as a function, or pushes the error message. */
  loadText(L: LuaState, source: string, chunkName: string): number {
    const length = this.#encode(source);
    return this.#wasm.luaL_loadbufferx(L, this.#buffer, length, chunkName, 't');
  }

  /** Pushes the traceback of thread `L1` onto `L` as a string and returns it (popped again). */
  traceback(L: LuaState, L1: LuaState): string {
    this.c._luaL_traceback(L, L1, 0, 0);
    const text = this.toString(L, -1);
    this.c._lua_settop(L, -2);
    return text;
  }

  dispose(): void {
    this.c._free(this.#out);
    this.c._free(this.#buffer);
  }

  /** Writes `text` as UTF-8 into the scratch buffer, growing it if needed; returns its byte length. */
  #encode(text: string): number {
    const worstCase = text.length * 3;
    if (worstCase > this.#capacity || (this.#capacity > SMALL_BUFFER * 64 && worstCase <= SMALL_BUFFER)) {
      this.c._free(this.#buffer);
      this.#capacity = Math.max(SMALL_BUFFER, worstCase);
      this.#buffer = this.c._malloc(this.#capacity);
      if (this.#buffer === 0) {
        this.#capacity = 0;
        throw new Error(`cannot allocate ${worstCase} bytes to pass a string to Lua`);
      }
    }
    const heap = this.#wasm.module.HEAPU8;
    return this.#encoder.encodeInto(text, heap.subarray(this.#buffer, this.#buffer + this.#capacity)).written;
  }
}
