/**
 * The one host function the prelude receives, `host(op, ...)`: it answers `true[, value]` or
 * `false, message` and never lets a JS exception unwind through Lua's C stack (the prelude turns a
 * refusal into a Lua error at the plugin's line). Values cross as plain data (lua-values.ts).
 *
 * `jovian.http.*` cannot answer at once: `http` starts the request, parks its outcome under an id and
 * answers the id; the prelude then yields that id to the host, which resumes the thread with the
 * outcome (lua-sandbox.ts).
 */
import { LUA_TNIL, LUA_TNONE, LUA_TSTRING, type LuaCApi, type LuaState, luaTypeName } from './lua-c-api.js';
import type { InstructionLimit } from './lua-instruction-limit.js';
import { pushValue, readValue } from './lua-values.js';
import type { LuaHostApi } from './sandbox-types.js';

/** How a host request ended, as the Lua thread receives it. */
export type RequestOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/** Requests started by `jovian.http.*`, until the thread that started them yields their id. */
export class PendingRequests {
  readonly #pending = new Map<number, Promise<RequestOutcome>>();
  #lastId = 0;

  start(request: () => Promise<{ status: number; body: string }>, what: string): number {
    const id = ++this.#lastId;
    let outcome: Promise<RequestOutcome>;
    try {
      outcome = request().then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, message: `${what} failed: ${messageOf(error)}` }),
      );
    } catch (error) {
      outcome = Promise.resolve({ ok: false, message: `${what} failed: ${messageOf(error)}` });
    }
    this.#pending.set(id, outcome);
    return id;
  }

  /** The outcome of request `id`; every other request not yet taken is dropped (nobody waits for it). */
  take(id: number): Promise<RequestOutcome> | undefined {
    const outcome = this.#pending.get(id);
    this.#pending.clear();
    return outcome;
  }

  clear(): void {
    this.#pending.clear();
  }
}

const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);

/** The public name of each operation, for messages. */
const OPERATIONS = new Map([
  ['log', 'jovian.log'],
  ['config.get', 'jovian.config.get'],
  ['config.set', 'jovian.config.set'],
  ['state.get', 'jovian.state.get'],
  ['state.set', 'jovian.state.set'],
  ['emit', 'jovian.events.emit'],
  ['subscribe', 'jovian.events.on'],
  ['http', 'jovian.http'],
  ['charge', 'coroutine.create'],
]);

/** No value to answer besides `true`. */
const NOTHING = Symbol('nothing');

export class LuaHostCalls {
  readonly #api: LuaCApi;
  readonly #host: LuaHostApi;
  readonly #limit: InstructionLimit;
  readonly #requests: PendingRequests;

  constructor(api: LuaCApi, host: LuaHostApi, limit: InstructionLimit, requests: PendingRequests) {
    this.#api = api;
    this.#host = host;
    this.#limit = limit;
    this.#requests = requests;
  }

  /** The C function body: reads `op, ...` from the stack of `L`, pushes the answer, returns its size. */
  handle(L: LuaState): number {
    const c = this.#api.c;
    let name = 'host';
    try {
      const op = c._lua_type(L, 1) === LUA_TSTRING ? this.#api.toString(L, 1) : '';
      name = OPERATIONS.get(op) ?? name;
      const value = this.#perform(op, name, L);
      c._lua_pushboolean(L, 1);
      if (value === NOTHING) return 1;
      pushValue(this.#api, L, value, 'value');
      return 2;
    } catch (error) {
      // Anything but an Error is Lua unwinding through this frame (a longjmp, e.g. out of memory).
      if (!(error instanceof Error)) throw error;
      c._lua_pushboolean(L, 0);
      this.#api.pushString(L, `${name}: ${error.message}`);
      return 2;
    }
  }

  #perform(op: string, name: string, L: LuaState): unknown {
    const host = this.#host;
    switch (op) {
      case 'log': {
        const level = this.#string(L, 2, 'the level');
        if (!LOG_LEVELS.has(level))
          throw new Error(`the level must be debug, info, warn or error, not "${level}"`);
        host.log(level as 'debug' | 'info' | 'warn' | 'error', this.#string(L, 3, 'the message'));
        return NOTHING;
      }
      case 'config.get':
        return host.configGet(this.#optionalString(L, 2, 'the key'));
      case 'config.set':
        host.configSet(this.#string(L, 2, 'the key'), readValue(this.#api, L, 3, 'value'));
        return NOTHING;
      case 'state.get':
        return host.stateGet(this.#string(L, 2, 'the key'));
      case 'state.set':
        host.stateSet(this.#string(L, 2, 'the key'), readValue(this.#api, L, 3, 'value'));
        return NOTHING;
      case 'emit':
        host.emit(this.#string(L, 2, 'the topic'), readValue(this.#api, L, 3, 'data'));
        return NOTHING;
      case 'subscribe':
        host.subscribe(this.#string(L, 2, 'the topic'), this.#api.c._lua_tonumberx(L, 3, 0));
        return NOTHING;
      case 'http': {
        const method = this.#string(L, 2, 'the method') === 'POST' ? 'POST' : 'GET';
        const url = this.#string(L, 3, 'the url');
        const body = readValue(this.#api, L, 4, 'body');
        return this.#requests.start(() => host.http(method, url, body), `${method} ${url}`);
      }
      case 'charge':
        if (this.#limit.chargeCoroutine()) return NOTHING;
        throw new Error(`instruction limit exceeded (${this.#limit.limit} instructions per call)`);
      default:
        throw new Error(`unknown host operation "${op}" (${name})`);
    }
  }

  #string(L: LuaState, index: number, what: string): string {
    const type = this.#api.c._lua_type(L, index);
    if (type !== LUA_TSTRING) throw new Error(`${what} must be a string, not ${luaTypeName(type)}`);
    return this.#api.toString(L, index);
  }

  #optionalString(L: LuaState, index: number, what: string): string | undefined {
    const type = this.#api.c._lua_type(L, index);
    return type === LUA_TNIL || type === LUA_TNONE ? undefined : this.#string(L, index, what);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
