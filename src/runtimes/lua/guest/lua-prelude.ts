/**
 * The trusted Lua prelude of a sandbox (docs/lua.md): it runs once in a fresh state, before the plugin,
 * with the libraries base, table, string, math, utf8 and coroutine open. It keeps what it needs in
 * locals — out of the plugin's reach, as there is no debug library — empties the global table, refills
 * it from a whitelist, and returns the entry points the host calls:
 *
 * - `invoke(name, ...)`: calls the plugin's global function `name`;
 * - `dispatch(subscriptionId, event)`: calls a callback registered with `jovian.events.on`;
 * - `run(source, chunkname)`: compiles (text only) and runs the plugin's source in its globals;
 * - `AWAIT`: the marker a thread yields, with a request id, to wait for a host answer (`jovian.http`).
 *
 * It receives one argument, the host function `host(op, ...)`, which answers `true[, value]` or
 * `false, message`; the wrappers below turn a refusal into an error at the plugin's line.
 */
export const PRELUDE_CHUNK_NAME = '=jovian prelude';

export const LUA_PRELUDE = String.raw`
local host = ...

local G = _G
local error, next, rawequal, rawget, select, setmetatable, tostring, type =
  error, next, rawequal, rawget, select, setmetatable, tostring, type
local load, collectgarbage, getmetatable = load, collectgarbage, getmetatable
local string, table, coroutine = string, table, coroutine
local byte, find, match, concat = string.byte, string.find, string.match, table.concat
local create, resume, yield, close, isyieldable =
  coroutine.create, coroutine.resume, coroutine.yield, coroutine.close, coroutine.isyieldable

local sandbox = {
  _VERSION = _VERSION, assert = assert, error = error, getmetatable = getmetatable, ipairs = ipairs,
  next = next, pairs = pairs, pcall = pcall, rawequal = rawequal, rawget = rawget, rawlen = rawlen,
  rawset = rawset, select = select, tonumber = tonumber, tostring = tostring, type = type, xpcall = xpcall,
  math = math, string = string, table = table, utf8 = utf8,
}

-- Strings: no bytecode dumps (string.dump is also reachable as ("").dump), the trim helper plugins
-- call, and a string metatable nobody can read or change.
string.dump = nil
function string.trim(s)
  if type(s) == "number" then s = tostring(s) end
  if type(s) ~= "string" then
    error("bad argument #1 to 'trim' (string expected, got " .. type(s) .. ")", 2)
  end
  local first = find(s, "%S")
  if first == nil then return "" end
  return match(s, "^.*%S", first)
end
getmetatable("").__metatable = false

-- No __gc metamethods: finalizers run without hooks, out of reach of the instruction limit.
function sandbox.setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("setmetatable: __gc metamethods are not allowed in a Jovian sandbox", 2)
  end
  local result = setmetatable(t, mt)
  return result
end

-- load: text chunks only, in the plugin's globals unless the caller gives an environment.
function sandbox.load(chunk, chunkname, mode, ...)
  local env = G
  if select("#", ...) > 0 then env = ... end
  if type(chunk) == "string" and byte(chunk, 1) == 27 then
    return nil, "load: binary chunks are not allowed in a Jovian sandbox"
  end
  if type(chunk) ~= "string" and type(chunk) ~= "function" then
    error("bad argument #1 to 'load' (string expected, got " .. type(chunk) .. ")", 2)
  end
  local fn, message = load(chunk, chunkname, "t", env)
  return fn, message
end

function sandbox.collectgarbage(option)
  if option ~= "count" then
    error("collectgarbage: only collectgarbage(\"count\") is allowed in a Jovian sandbox", 2)
  end
  local kilobytes = collectgarbage("count")
  return kilobytes
end

local function joined(separator, ...)
  local parts = { ... }
  for i = 1, select("#", ...) do parts[i] = tostring(parts[i]) end
  return concat(parts, separator)
end

function sandbox.print(...)
  host("log", "info", joined("\t", ...))
end

function sandbox.warn(...)
  local message = joined("", ...)
  if message ~= "@on" and message ~= "@off" then host("log", "warn", message) end
end

-- The host API: jovian.* (and jarvis.*, the same table).
local jovian = { config = {}, state = {}, events = {} }

function jovian.log(message, level)
  local ok, problem = host("log", level == nil and "info" or level, tostring(message))
  if not ok then error(problem, 2) end
end

function jovian.config.get(key)
  local ok, value = host("config.get", key)
  if not ok then error(value, 2) end
  return value
end

function jovian.config.set(key, value)
  local ok, problem = host("config.set", key, value)
  if not ok then error(problem, 2) end
end

function jovian.state.get(key)
  local ok, value = host("state.get", key)
  if not ok then error(value, 2) end
  return value
end

function jovian.state.set(key, value)
  local ok, problem = host("state.set", key, value)
  if not ok then error(problem, 2) end
end

function jovian.events.emit(topic, data)
  local ok, problem = host("emit", topic, data)
  if not ok then error(problem, 2) end
end

local subscriptions, subscription_count = {}, 0

function jovian.events.on(topic, callback)
  if type(callback) ~= "function" then
    error("jovian.events.on: the callback must be a function, not a " .. type(callback), 2)
  end
  local ok, problem = host("subscribe", topic, subscription_count + 1)
  if not ok then error(problem, 2) end
  subscription_count = subscription_count + 1
  subscriptions[subscription_count] = callback
  return subscription_count
end

-- HTTP: the request runs on the host; this thread yields AWAIT until the answer comes back.
local AWAIT = {}
local CANNOT_WAIT = "jovian.http cannot wait for an answer here (inside a metamethod, or in a function"
  .. " called by table.sort, string.gsub and the like)"

local function request(method, url, body)
  if not isyieldable() then return nil, CANNOT_WAIT end
  local ok, id = host("http", method, url, body)
  if not ok then error(id, 2) end
  local done, answer = yield(AWAIT, id)
  if done then return answer end
  return nil, answer
end

jovian.http = {
  get = function(url) return request("GET", url) end,
  post = function(url, body) return request("POST", url, body) end,
}

-- Coroutines: each new one is charged to the instruction limit; only the plugin's own coroutines can
-- be resumed or closed (not the threads the host runs calls on), and a coroutine waiting for a host
-- answer passes the wait on to whoever resumed it.
local own = setmetatable({}, { __mode = "k" })
local waiting = setmetatable({}, { __mode = "k" })

local function new_coroutine(fn, name)
  if type(fn) ~= "function" then
    error("bad argument #1 to '" .. name .. "' (function expected, got " .. type(fn) .. ")", 3)
  end
  local ok, problem = host("charge")
  if not ok then error(problem, 3) end
  local thread = create(fn)
  own[thread] = true
  return thread
end

local function resumed(thread, ok, first, ...)
  if ok and rawequal(first, AWAIT) then
    if not isyieldable() then return resumed(thread, resume(thread, false, CANNOT_WAIT)) end
    waiting[thread] = true
    local done, answer = yield(AWAIT, ...)
    waiting[thread] = nil
    return resumed(thread, resume(thread, done, answer))
  end
  return ok, first, ...
end

local function check_own(thread, name)
  if not own[thread] then
    error("bad argument #1 to '" .. name .. "' (not a coroutine of this plugin)", 3)
  end
  if waiting[thread] then return false, "cannot " .. name .. " a coroutine that waits for an http answer" end
  return true
end

local function unwrapped(ok, ...)
  if ok then return ... end
  error((...), 0)
end

sandbox.coroutine = {
  isyieldable = coroutine.isyieldable,
  running = coroutine.running,
  status = coroutine.status,
  yield = coroutine.yield,
  create = function(fn)
    local thread = new_coroutine(fn, "create")
    return thread
  end,
  resume = function(thread, ...)
    local usable, problem = check_own(thread, "resume")
    if not usable then return false, problem end
    return resumed(thread, resume(thread, ...))
  end,
  wrap = function(fn)
    local thread = new_coroutine(fn, "wrap")
    return function(...)
      local usable, problem = check_own(thread, "resume")
      if not usable then error(problem, 2) end
      return unwrapped(resumed(thread, resume(thread, ...)))
    end
  end,
  close = function(thread)
    local usable, problem = check_own(thread, "close")
    if not usable then return false, problem end
    local ok, message = close(thread)
    return ok, message
  end,
}

sandbox.jovian = jovian
sandbox.jarvis = jovian

-- The entry points of the host.
local function invoke(name, ...)
  local fn = rawget(G, name)
  if type(fn) ~= "function" then error("the plugin defines no global function '" .. tostring(name) .. "'", 0) end
  return fn(...)
end

local function dispatch(id, event)
  local callback = subscriptions[id]
  if callback ~= nil then callback(event) end
end

local function run(source, chunkname)
  local chunk, message = load(source, chunkname, "t", G)
  if chunk == nil then error(message, 0) end
  chunk()
end

-- The global table stays the same table (the host and load find globals there) with new contents.
for name in next, G do G[name] = nil end
for name, value in next, sandbox do G[name] = value end
G._G = G

return invoke, dispatch, run, AWAIT
`;
