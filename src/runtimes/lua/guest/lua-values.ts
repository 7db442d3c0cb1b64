/**
 * Plain data across the Lua boundary, converted by hand rather than by wasmoon's automatic conversion:
 * raw table access only (no metamethod of the plugin runs while the host reads or writes a value), no
 * registry references per table, and a clear error naming the place of a value that is not plain data.
 *
 * JS → Lua: undefined/null → nil, booleans, numbers (integers stay integers), bigints (64-bit), strings,
 * arrays → sequences, plain objects → tables with string keys (undefined members are left out).
 * Lua → JS: nil → undefined, booleans, numbers, strings, tables whose keys are exactly 1..n → arrays,
 * other tables → objects (number keys become strings; `{}` is an object). Functions, userdata, threads,
 * cycles and keys of other types are refused.
 */
import { JovianError } from '../../../errors.js';
import {
  LUA_TBOOLEAN,
  LUA_TNIL,
  LUA_TNONE,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaCApi,
  type LuaState,
  luaTypeName,
} from './lua-c-api.js';

/** Tables nested deeper than this are refused (each level holds two Lua stack slots and a JS frame). */
const MAX_DEPTH = 100;
const PLAIN_DATA_HINT =
  'Pass plain data between Lua and the host: nil, booleans, numbers, strings and tables of them.';

/** Where a value sits, for messages: `result.items[2].name`. */
type Path = (string | number)[];

function formatPath(path: Path): string {
  const step = (key: string | number) =>
    typeof key === 'number'
      ? `[${key}]`
      : /^[A-Za-z_]\w*$/.test(key)
        ? `.${key}`
        : `[${JSON.stringify(key)}]`;
  const [root, ...steps] = path;
  const shown =
    steps.length > 12 ? [...steps.slice(0, 4).map(step), '…', ...steps.slice(-4).map(step)] : steps.map(step);
  return String(root) + shown.join('');
}

function refused(what: string, path: Path): JovianError {
  return new JovianError(
    'JOVIAN_E_NOT_CLONEABLE',
    `${what} cannot cross between Lua and the host (at ${formatPath(path)})`,
    {
      hint: PLAIN_DATA_HINT,
    },
  );
}

/**
 * Pushes `value` onto the stack of `L`. Throws (after pushing part of it: the caller resets the stack)
 * when `value` is not plain data.
 */
export function pushValue(api: LuaCApi, L: LuaState, value: unknown, label: string): void {
  push(api, L, value, [label], new Set());
}

function push(api: LuaCApi, L: LuaState, value: unknown, path: Path, ancestors: Set<object>): void {
  const c = api.c;
  switch (typeof value) {
    case 'undefined':
      c._lua_pushnil(L);
      return;
    case 'boolean':
      c._lua_pushboolean(L, value ? 1 : 0);
      return;
    case 'number':
      if (Number.isSafeInteger(value)) c._lua_pushinteger(L, BigInt(value));
      else c._lua_pushnumber(L, value);
      return;
    case 'bigint':
      if (value !== BigInt.asIntN(64, value)) throw refused(`the integer ${value} (beyond 64 bits)`, path);
      c._lua_pushinteger(L, value);
      return;
    case 'string':
      api.pushString(L, value);
      return;
    case 'object':
      if (value === null) c._lua_pushnil(L);
      else pushTable(api, L, value, path, ancestors);
      return;
    default:
      throw refused(`a JS ${typeof value}`, path);
  }
}

function pushTable(api: LuaCApi, L: LuaState, value: object, path: Path, ancestors: Set<object>): void {
  const c = api.c;
  if (ancestors.has(value)) throw refused('a cyclic object', path);
  if (ancestors.size >= MAX_DEPTH) throw refused(`data nested more than ${MAX_DEPTH} levels deep`, path);
  if (c._lua_checkstack(L, 3) === 0) throw refused('data this deep', path);
  ancestors.add(value);
  if (Array.isArray(value)) {
    c._lua_createtable(L, value.length, 0);
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      push(api, L, value[index], path, ancestors);
      path.pop();
      c._lua_rawseti(L, -2, BigInt(index + 1));
    }
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null)
      throw refused(`a ${value.constructor?.name ?? 'class'} instance (not a plain object)`, path);
    const keys = Object.keys(value);
    c._lua_createtable(L, 0, keys.length);
    for (const key of keys) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      api.pushString(L, key);
      path.push(key);
      push(api, L, member, path, ancestors);
      path.pop();
      c._lua_rawset(L, -3);
    }
  }
  ancestors.delete(value);
}

/** Converts the value at `index` of `L` (left in place) to plain data, or throws naming what was refused. */
export function readValue(api: LuaCApi, L: LuaState, index: number, label: string): unknown {
  const absolute = index < 0 ? api.c._lua_gettop(L) + index + 1 : index;
  return read(api, L, absolute, [label], new Set());
}

function read(api: LuaCApi, L: LuaState, index: number, path: Path, ancestors: Set<number>): unknown {
  const c = api.c;
  const type = c._lua_type(L, index);
  switch (type) {
    case LUA_TNONE:
    case LUA_TNIL:
      return undefined;
    case LUA_TBOOLEAN:
      return c._lua_toboolean(L, index) !== 0;
    case LUA_TNUMBER:
      return c._lua_tonumberx(L, index, 0);
    case LUA_TSTRING:
      return api.toString(L, index);
    case LUA_TTABLE:
      return readTable(api, L, index, path, ancestors);
    default:
      throw refused(`a Lua ${luaTypeName(type)}`, path);
  }
}

function readTable(api: LuaCApi, L: LuaState, index: number, path: Path, ancestors: Set<number>): unknown {
  const c = api.c;
  const pointer = c._lua_topointer(L, index);
  if (ancestors.has(pointer)) throw refused('a table that contains itself', path);
  if (ancestors.size >= MAX_DEPTH) throw refused(`tables nested more than ${MAX_DEPTH} levels deep`, path);
  if (c._lua_checkstack(L, 3) === 0) throw refused('tables this deep', path);
  ancestors.add(pointer);
  const keys: (string | number)[] = [];
  const values: unknown[] = [];
  let sequence = true;
  const top = c._lua_gettop(L);
  try {
    c._lua_pushnil(L);
    while (c._lua_next(L, index) !== 0) {
      const keyType = c._lua_type(L, -2);
      let key: string | number;
      if (keyType === LUA_TSTRING) {
        key = api.toString(L, -2);
        sequence = false;
      } else if (keyType === LUA_TNUMBER) {
        key = c._lua_tonumberx(L, -2, 0);
        if (c._lua_isinteger(L, -2) === 0 || key < 1) sequence = false;
      } else {
        throw refused(`a table key of type ${luaTypeName(keyType)}`, path);
      }
      path.push(key);
      values.push(read(api, L, top + 2, path, ancestors));
      path.pop();
      keys.push(key);
      c._lua_settop(L, top + 1);
    }
  } finally {
    c._lua_settop(L, top);
  }
  ancestors.delete(pointer);
  return sequence && keys.length > 0 && isOneToN(keys as number[])
    ? toArray(keys as number[], values)
    : toObject(keys, values);
}

/** True when the integer keys are exactly 1..n (they are distinct, so n keys all ≤ n). */
function isOneToN(keys: number[]): boolean {
  return keys.every((key) => key <= keys.length);
}

function toArray(keys: number[], values: unknown[]): unknown[] {
  const array = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) array[(keys[i] as number) - 1] = values[i];
  return array;
}

function toObject(keys: (string | number)[], values: unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = String(keys[i]);
    // A `__proto__` key is data here, never the object's prototype.
    if (key === '__proto__')
      Object.defineProperty(object, key, {
        value: values[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else object[key] = values[i];
  }
  return object;
}
