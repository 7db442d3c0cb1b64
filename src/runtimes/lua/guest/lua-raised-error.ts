/**
 * What a failed Lua call raised, as the host reports it. A string or a number is the message. A table
 * with a string `message` is a coded error, the Lua form of a JS plugin's `Error` with `code` and
 * `hint`:
 *
 * ```lua
 * error({ code = "WEATHER_E_CITY", message = "the city is unknown", hint = "check the spelling" })
 * ```
 *
 * It reaches the caller with that code, message (as written) and hint. Anything else is described by
 * its type. Fields are read raw: no metamethod of the plugin runs.
 */
import {
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaCApi,
  type LuaState,
  luaTypeName,
} from './lua-c-api.js';

export interface CodedLuaError {
  readonly message: string;
  readonly code: string | undefined;
  readonly hint: string | undefined;
}

/**
 * Reads the error object on top of the stack of `L` (a dead thread's; left in place). It pushes keys:
 * run it without the memory cap.
 */
export function readRaised(api: LuaCApi, L: LuaState): string | CodedLuaError {
  const type = api.c._lua_type(L, -1);
  if (type === LUA_TSTRING || type === LUA_TNUMBER) return api.toString(L, -1);
  const message = type === LUA_TTABLE ? stringField(api, L, 'message') : undefined;
  if (message === undefined) return `(error object is a ${luaTypeName(type)} value)`;
  return { message, code: stringField(api, L, 'code'), hint: stringField(api, L, 'hint') };
}

/** The Error a coded Lua error becomes, with the Lua traceback as its stack. */
export function codedError(raised: CodedLuaError, traceback: string): Error {
  const error = Object.assign(new Error(raised.message), { code: raised.code, hint: raised.hint });
  error.stack = `Error: ${raised.message}\n${traceback}`;
  return error;
}

/** `t[key]` of the table on top of the stack, when it is a string. */
function stringField(api: LuaCApi, L: LuaState, key: string): string | undefined {
  const c = api.c;
  if (c._lua_checkstack(L, 2) === 0) return undefined;
  api.pushString(L, key);
  const value = c._lua_rawget(L, -2) === LUA_TSTRING ? api.toString(L, -1) : undefined;
  c._lua_settop(L, -2);
  return value;
}
