/**
 * One plugin's Lua state, set up after the recipe of SECURITY-NOTES "Lua with wasmoon": a wasmoon
 * engine with no standard library, no injected objects and no proxies, allocations traced so the state
 * has a memory cap; the libraries base, table, string, math, utf8 and coroutine; the trusted prelude
 * (lua-prelude.ts). It also keeps the threads calls run on.
 */
import type { LuaEngine, LuaFactory } from 'wasmoon';
import {
  LUA_OK,
  LUA_REGISTRYINDEX,
  LUA_RIDX_GLOBALS,
  LUA_TFUNCTION,
  LuaCApi,
  type LuaState,
} from './lua-c-api.js';
import { LUA_PRELUDE, PRELUDE_CHUNK_NAME } from './lua-prelude.js';

/** Threads kept for later calls; more exist only while calls wait for `jovian.http`. */
const IDLE_THREADS = 4;

/** A Lua thread the host runs calls on, kept alive by a registry reference. */
export interface CallThread {
  readonly L: LuaState;
  readonly ref: number;
}

/** The prelude's entry points and its AWAIT marker, as registry references. */
export interface EntryPoints {
  readonly invoke: bigint;
  readonly dispatch: bigint;
  readonly run: bigint;
  readonly await: bigint;
}

export class HardenedLuaState {
  readonly api: LuaCApi;
  readonly main: LuaState;
  readonly memoryBytes: number;
  readonly #engine: LuaEngine;
  readonly #idle: CallThread[] = [];
  #hostFunction = 0;
  #closed = false;

  static async open(factory: LuaFactory, memoryBytes: number): Promise<HardenedLuaState> {
    const engine = await factory.createEngine({
      openStandardLibs: false,
      injectObjects: false,
      enableProxy: false,
      traceAllocations: true,
    });
    try {
      return new HardenedLuaState(engine, memoryBytes);
    } catch (error) {
      engine.global.close();
      throw error;
    }
  }

  private constructor(engine: LuaEngine, memoryBytes: number) {
    this.#engine = engine;
    this.memoryBytes = memoryBytes;
    this.api = new LuaCApi(engine.global.lua);
    this.main = engine.global.address;
    const lua = engine.global.lua;
    const libraries: [(L: LuaState) => number, string][] = [
      [lua.luaopen_base, '_G'],
      [lua.luaopen_table, 'table'],
      [lua.luaopen_string, 'string'],
      [lua.luaopen_math, 'math'],
      [lua.luaopen_utf8, 'utf8'],
      [lua.luaopen_coroutine, 'coroutine'],
    ];
    for (const [open, name] of libraries) {
      open(this.main);
      lua.lua_setglobal(this.main, name);
    }
  }

  /** Runs the prelude with `host` as its host function, then caps the state's memory. */
  runPrelude(host: (L: LuaState) => number): EntryPoints {
    const c = this.api.c;
    const M = this.main;
    this.#hostFunction = this.api.addFunction(host, 'ii');
    let status = this.api.loadText(M, LUA_PRELUDE, PRELUDE_CHUNK_NAME);
    if (status === LUA_OK) {
      c._lua_pushcclosure(M, this.#hostFunction, 0);
      status = c._lua_pcallk(M, 1, 4, 0, 0, 0);
    }
    if (status !== LUA_OK) {
      const message = this.api.toString(M, -1);
      c._lua_settop(M, 0);
      throw new Error(`the Lua prelude failed: ${message}`);
    }
    const ref = () => BigInt(c._luaL_ref(M, LUA_REGISTRYINDEX));
    const awaitMarker = ref();
    const run = ref();
    const dispatch = ref();
    const invoke = ref();
    this.#engine.global.setMemoryMax(this.memoryBytes);
    return { invoke, dispatch, run, await: awaitMarker };
  }

  /**
   * Runs host-side Lua API calls that allocate. Outside a protected call a Lua memory error would abort
   * the whole WebAssembly module (every plugin of the worker), so the cap is lifted meanwhile: what the
   * host adds (arguments, answers) is bounded by the host, and the plugin's own allocations fail sooner.
   */
  withoutMemoryCap<T>(action: () => T): T {
    const global = this.#engine.global;
    global.setMemoryMax(undefined);
    try {
      return action();
    } finally {
      global.setMemoryMax(this.memoryBytes);
    }
  }

  /** True when the global `name` is a function (read raw: no metamethod runs). */
  hasGlobalFunction(name: string): boolean {
    const c = this.api.c;
    return this.withoutMemoryCap(() => {
      c._lua_rawgeti(this.main, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
      this.api.pushString(this.main, name);
      const type = c._lua_rawget(this.main, -2);
      c._lua_settop(this.main, -3);
      return type === LUA_TFUNCTION;
    });
  }

  /** The Lua traceback of a thread (dead or suspended). */
  traceback(thread: CallThread): string {
    return this.withoutMemoryCap(() => this.api.traceback(this.main, thread.L));
  }

  acquireThread(): CallThread {
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    const c = this.api.c;
    return this.withoutMemoryCap(() => {
      const L = c._lua_newthread(this.main);
      return { L, ref: c._luaL_ref(this.main, LUA_REGISTRYINDEX) };
    });
  }

  /** Gives back a thread whose call finished (or never started). */
  releaseThread(thread: CallThread): void {
    if (this.#closed) return;
    this.api.c._lua_settop(thread.L, 0);
    if (this.#idle.length < IDLE_THREADS) this.#idle.push(thread);
    else this.dropThread(thread);
  }

  /** Forgets a thread that died or stays suspended for good; the garbage collector frees it. */
  dropThread(thread: CallThread): void {
    if (this.#closed) return;
    this.withoutMemoryCap(() => this.api.c._luaL_unref(this.main, LUA_REGISTRYINDEX, thread.ref));
  }

  memoryUsed(): number {
    return this.#closed ? 0 : this.#engine.global.getMemoryUsed();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#idle.length = 0;
    this.#engine.global.close();
    if (this.#hostFunction !== 0) this.api.removeFunction(this.#hostFunction);
    this.api.dispose();
  }

  /** Marks the state unusable without touching it (after a failure left it inconsistent). */
  abandon(): void {
    this.#closed = true;
  }
}
