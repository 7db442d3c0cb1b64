/**
 * The instruction limit of one Lua state: how many VM instructions one call into the plugin may run.
 *
 * The host sets a count hook (`lua_sethook`, C side) on the thread that runs each call; coroutines the
 * plugin creates inherit it. The hook fires every `chunk` instructions of a thread and charges the call
 * that is running; a plugin cannot remove it, as the debug library is absent.
 *
 * Cost: one `lua_sethook` per call; a call under `chunk` instructions never reaches JS. While a count
 * hook is set, Lua 5.4 checks it at every instruction, which makes tight Lua loops about twice as slow
 * (a 1e6-iteration loop: 8 → 17 ms; wasmoon's `functionTimeout`, the same hook plus a clock: 32 ms).
 * The JS hook itself, once per `chunk`, adds well under 1%.
 *
 * Each thread counts down on its own, so a new coroutine could run up to `chunk` instructions before
 * its hook first fires: the prelude's `coroutine.create`/`wrap` charge a chunk up front through
 * `chargeCoroutine`. What the limit does not cover: C functions run as one instruction however long they
 * take (a pathological `string.find`), and `__gc` metamethods run without hooks (the prelude refuses them).
 *
 * When a call exceeds the limit, the hook makes every further instruction of that thread land in it
 * again, then yields the call's own thread back to the host (an abort nothing in Lua can catch); in a
 * nested coroutine or where yielding is impossible it raises a Lua error instead, and the next hook on
 * the call's thread finishes the job.
 */
import { LUA_MASKCOUNT, type LuaCApi, type LuaState } from './lua-c-api.js';

/** Instructions between two calls of the JS hook: the limit is enforced to within one chunk. */
const INSTRUCTIONS_PER_HOOK = 1_000;

/** One call's use of the limit. */
export interface InstructionBudget {
  /** The thread the call runs on (the host resumes it). */
  readonly thread: LuaState;
  /** Instructions charged so far. */
  used: number;
  /** The call ran past the limit. */
  exceeded: boolean;
}

export class InstructionLimit {
  readonly limit: number;
  readonly #api: LuaCApi;
  readonly #chunk: number;
  #hook: number;
  #running: InstructionBudget | undefined;

  constructor(api: LuaCApi, limit: number) {
    this.#api = api;
    this.limit = limit;
    this.#chunk = Math.min(limit, INSTRUCTIONS_PER_HOOK);
    this.#hook = api.addFunction((L: number) => this.#onCount(L), 'vii');
  }

  /** Arms the hook on `thread` with a fresh countdown and returns the budget of a new call. */
  begin(thread: LuaState): InstructionBudget {
    this.#api.c._lua_sethook(thread, this.#hook, LUA_MASKCOUNT, this.#chunk);
    return { thread, used: 0, exceeded: false };
  }

  /** Runs `resume` (one `lua_resume` of the call) with `budget` charged by the hook. */
  charging<T>(budget: InstructionBudget, resume: () => T): T {
    const outer = this.#running;
    this.#running = budget;
    try {
      return resume();
    } finally {
      this.#running = outer;
    }
  }

  /** Charges the running call for a new coroutine; false once the call is over its limit. */
  chargeCoroutine(): boolean {
    const budget = this.#running;
    if (budget === undefined) return true;
    budget.used += this.#chunk;
    if (budget.used >= this.limit) budget.exceeded = true;
    return !budget.exceeded;
  }

  dispose(): void {
    if (this.#hook === 0) return;
    this.#api.removeFunction(this.#hook);
    this.#hook = 0;
  }

  #onCount(L: LuaState): undefined {
    const budget = this.#running;
    if (budget === undefined) return;
    budget.used += this.#chunk;
    if (budget.used < this.limit) return;
    budget.exceeded = true;
    const c = this.#api.c;
    c._lua_sethook(L, this.#hook, LUA_MASKCOUNT, 1);
    if (L === budget.thread && c._lua_isyieldable(L) !== 0) {
      // Inside a hook, lua_yield only marks the thread: Lua unwinds after this function returns.
      c._lua_yieldk(L, 0, 0, 0);
      return;
    }
    this.#api.pushString(L, `instruction limit exceeded (${this.limit} instructions per call)`);
    c._lua_error(L); // unwinds (longjmp) to the nearest protected call; nothing after this runs
    return;
  }
}
