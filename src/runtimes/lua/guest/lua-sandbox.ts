/**
 * The Lua sandbox of one plugin: a hardened Lua 5.4 state (lua-state.ts) with a trusted prelude
 * (lua-prelude.ts), an instruction limit per call (lua-instruction-limit.ts) and host functions that
 * take and return plain data (lua-host-calls.ts, lua-values.ts).
 *
 * Every call runs on a Lua thread the host resumes, so `jovian.http.*` can wait for the host: the thread
 * yields, the host awaits the request and resumes it with the answer, and other calls may run meanwhile.
 *
 * What it does not stop: a C call Lua cannot interrupt (a pathological pattern match is one instruction)
 * — run sandboxes in a worker and terminate it on a deadline; the sandbox itself does not depend on
 * being in one. States of one factory share one WebAssembly memory, so a memory-safety bug in Lua itself
 * could cross between plugins; binary chunks, the usual way to reach such bugs, are refused.
 */
import { LuaFactory } from 'wasmoon';
import { LUA_ERRMEM, LUA_OK, LUA_REGISTRYINDEX, LUA_TNUMBER, LUA_YIELD } from './lua-c-api.js';
import { LuaHostCalls, PendingRequests, type RequestOutcome } from './lua-host-calls.js';
import { type InstructionBudget, InstructionLimit } from './lua-instruction-limit.js';
import { PRELUDE_CHUNK_NAME } from './lua-prelude.js';
import { type CodedLuaError, codedError, readRaised } from './lua-raised-error.js';
import { type CallThread, type EntryPoints, HardenedLuaState } from './lua-state.js';
import { pushValue, readValue } from './lua-values.js';
import type { LuaSandbox, LuaSandboxOptions } from './sandbox-types.js';

const BINARY_CHUNK = 0x1b;

/**
 * The wasmoon module Lua states are created from. Create one per worker and share it between plugins:
 * each sandbox still gets a state of its own.
 */
export function createLuaFactory(): LuaFactory {
  return new LuaFactory();
}

/**
 * A Lua state for one plugin, ready to `load` its source.
 * @example
 * const lua = await createLuaSandbox(createLuaFactory(), { id: 'filters', memoryBytes: 16 << 20, instructionLimit: 1e7, api });
 * await lua.load(source, 'filters.lua');
 * const message = await lua.call('filter_message', [{ content: 'Hello' }]); // { content: 'hello' }
 */
export async function createLuaSandbox(factory: LuaFactory, options: LuaSandboxOptions): Promise<LuaSandbox> {
  if (!(options.memoryBytes > 0))
    throw new RangeError(`memoryBytes must be positive, not ${options.memoryBytes}`);
  if (!(options.instructionLimit >= 1))
    throw new RangeError(`instructionLimit must be at least 1, not ${options.instructionLimit}`);
  const state = await HardenedLuaState.open(factory, options.memoryBytes);
  try {
    return new HardenedLuaSandbox(state, options);
  } catch (error) {
    state.close();
    throw error;
  }
}

class HardenedLuaSandbox implements LuaSandbox {
  readonly #id: string;
  readonly #state: HardenedLuaState;
  readonly #limit: InstructionLimit;
  readonly #requests = new PendingRequests();
  readonly #entries: EntryPoints;
  /** A `lua_resume` is on the stack (a host function may call back synchronously). */
  #resuming = false;
  #closed = false;
  /** Settles when the sandbox closes, so calls waiting for the host stop waiting. */
  readonly #whenClosed: Promise<undefined>;
  #wakeWaitingCalls: () => void = () => undefined;

  constructor(state: HardenedLuaState, options: LuaSandboxOptions) {
    this.#whenClosed = new Promise((resolve) => {
      this.#wakeWaitingCalls = () => resolve(undefined);
    });
    this.#id = options.id;
    this.#state = state;
    this.#limit = new InstructionLimit(state.api, options.instructionLimit);
    const calls = new LuaHostCalls(state.api, options.api, this.#limit, this.#requests);
    this.#entries = state.runPrelude((L) => calls.handle(L));
  }

  async load(source: string, file: string): Promise<void> {
    // As luaL_loadfile does: skip a byte-order mark and a first line starting with '#' (kept, empty).
    const text = source.replace(/^\uFEFF/, '').replace(/^#[^\n]*/, '');
    if (text.charCodeAt(0) === BINARY_CHUNK)
      throw new Error(`${file}: binary Lua chunks are not accepted; give the plugin's source text`);
    await this.#run(this.#entries.run, [text, `@${file}`], [], `loading ${file}`);
  }

  hasFunction(name: string): boolean {
    return !this.#closed && this.#state.hasGlobalFunction(name);
  }

  call(name: string, args: readonly unknown[]): Promise<unknown> {
    return this.#run(this.#entries.invoke, [name], args, `${name}()`);
  }

  async deliver(subscriptionId: number, event: unknown): Promise<void> {
    await this.#run(
      this.#entries.dispatch,
      [subscriptionId],
      [event],
      `the events.on callback #${subscriptionId}`,
    );
  }

  memoryUsed(): number {
    return this.#state.memoryUsed();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#requests.clear();
    this.#wakeWaitingCalls();
    if (!this.#resuming) this.#dispose();
  }

  /** Runs an entry point of the prelude on a thread, serving the host requests it yields. */
  async #run(
    entry: bigint,
    leading: readonly unknown[],
    args: readonly unknown[],
    what: string,
  ): Promise<unknown> {
    while (this.#resuming) await Promise.resolve();
    this.#assertOpen(what);
    const state = this.#state;
    const thread = state.acquireThread();
    let nargs: number;
    try {
      nargs = this.#push(thread, leading.length + args.length, () => {
        state.api.c._lua_rawgeti(thread.L, LUA_REGISTRYINDEX, entry);
        for (const value of leading) pushValue(state.api, thread.L, value, 'argument');
        for (const [index, value] of args.entries()) pushValue(state.api, thread.L, value, `args[${index}]`);
      });
    } catch (error) {
      state.releaseThread(thread);
      throw error;
    }
    const budget = this.#limit.begin(thread.L);
    for (;;) {
      const status = this.#resume(budget, thread, nargs, what);
      if (budget.exceeded)
        throw this.#failure(
          thread,
          `plugin \`${this.#id}\` exceeded its instruction limit (${this.#limit.limit} Lua instructions per call) in ${what}`,
        );
      if (status === LUA_OK) return this.#finish(thread);
      if (status !== LUA_YIELD) throw this.#failure(thread, this.#raised(thread, status));
      const outcome = this.#awaitedRequest(thread);
      if (outcome === undefined)
        throw this.#failure(
          thread,
          `plugin \`${this.#id}\` called coroutine.yield outside a coroutine in ${what}; yield only inside coroutines it creates`,
        );
      const answer = await Promise.race([outcome, this.#whenClosed]);
      if (answer === undefined || this.#closed) throw this.#closedError(what);
      try {
        nargs = this.#push(thread, 2, () => this.#pushOutcome(thread, answer));
      } catch (error) {
        state.dropThread(thread);
        throw error;
      }
    }
  }

  /** Pushes `count` values host-side onto the (cleared) stack of a thread. */
  #push(thread: CallThread, count: number, push: () => void): number {
    const c = this.#state.api.c;
    c._lua_settop(thread.L, 0);
    this.#state.withoutMemoryCap(() => {
      if (c._lua_checkstack(thread.L, count + 8) === 0)
        throw new Error(`the Lua stack cannot hold ${count} values`);
      push();
    });
    return count;
  }

  #resume(budget: InstructionBudget, thread: CallThread, nargs: number, what: string): number {
    this.#resuming = true;
    let status: number;
    try {
      status = this.#limit.charging(budget, () => this.#state.api.resume(thread.L, nargs));
    } catch (error) {
      // A JS exception crossed Lua's C stack: the state can no longer be trusted, nor even closed.
      this.#resuming = false;
      this.#closed = true;
      this.#state.abandon();
      throw new Error(
        `plugin \`${this.#id}\`: its Lua state failed in ${what} and was closed: ${messageOf(error)}`,
        {
          cause: error,
        },
      );
    }
    this.#resuming = false;
    if (this.#closed) this.#dispose();
    this.#assertOpen(what);
    return status;
  }

  /** The first result of a finished call, as plain data; the thread goes back idle either way. */
  #finish(thread: CallThread): unknown {
    const api = this.#state.api;
    const count = api.resultCount;
    try {
      return count === 0
        ? undefined
        : readValue(api, thread.L, api.c._lua_gettop(thread.L) - count + 1, 'result');
    } finally {
      this.#state.releaseThread(thread);
    }
  }

  /** The request a thread yielded to wait for (`AWAIT, id`), or undefined for any other yield. */
  #awaitedRequest(thread: CallThread): Promise<RequestOutcome> | undefined {
    const { c, resultCount } = this.#state.api;
    const L = thread.L;
    const base = c._lua_gettop(L) - resultCount + 1;
    if (resultCount !== 2 || c._lua_type(L, base + 1) !== LUA_TNUMBER) return undefined;
    c._lua_rawgeti(L, LUA_REGISTRYINDEX, this.#entries.await);
    const marked = c._lua_rawequal(L, base, -1) !== 0;
    const id = c._lua_tonumberx(L, base + 1, 0);
    c._lua_settop(L, base - 1);
    return marked ? this.#requests.take(id) : undefined;
  }

  #pushOutcome(thread: CallThread, outcome: RequestOutcome): void {
    const api = this.#state.api;
    api.c._lua_pushboolean(thread.L, outcome.ok ? 1 : 0);
    if (outcome.ok) pushValue(api, thread.L, outcome.value, 'answer');
    else api.pushString(thread.L, outcome.message);
  }

  /** An Error for a failed call, with the Lua traceback as its stack; the thread is dropped. */
  #failure(thread: CallThread, raised: string | CodedLuaError): Error {
    const traceback = this.#state.traceback(thread);
    this.#state.dropThread(thread);
    if (typeof raised !== 'string') return codedError(raised, traceback);
    const message = raised;
    const place = pluginFrame(traceback);
    const located = place === undefined || message.includes(place) ? message : `${message} (at ${place})`;
    const error = new Error(located);
    error.stack = `Error: ${located}\n${traceback}`;
    return error;
  }

  /** What a thread died with: a message, or a coded error (lua-raised-error.ts). */
  #raised(thread: CallThread, status: number): string | CodedLuaError {
    const text = this.#state.withoutMemoryCap(() => readRaised(this.#state.api, thread.L));
    if (typeof text !== 'string' || (status !== LUA_ERRMEM && text !== 'not enough memory')) return text;
    return `plugin \`${this.#id}\` ran out of memory: its Lua state may use ${formatBytes(this.#state.memoryBytes)} (${text})`;
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw this.#closedError(what);
  }

  #closedError(what: string): Error {
    return new Error(`plugin \`${this.#id}\`: its Lua state is closed (${what})`);
  }

  #dispose(): void {
    this.#state.close();
    this.#limit.dispose();
  }
}

/** `file:line` of the innermost frame of the plugin's own code in a Lua traceback. */
function pluginFrame(traceback: string): string | undefined {
  const prelude = PRELUDE_CHUNK_NAME.slice(1);
  for (const match of traceback.matchAll(/\n\t([^\n]*?:\d+):/g)) {
    const place = match[1] as string;
    if (!place.startsWith('[C]') && !place.startsWith(prelude)) return place;
  }
  return undefined;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
