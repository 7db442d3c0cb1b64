/**
 * The plugins of the conformance suite in Lua (fixtures.ts, written against the Lua API of
 * docs/plugin-authoring.md "Lua plugins"): each hook the manifest lists is tapped by the global
 * function of the same name, and `run(input)` answers the rest. What Lua cannot express is skipped by
 * the suite, with the reason.
 */

export const LUA_PROBE = `
function series(n)
  jovian.state.set("series", n)
end

function bail(question)
  if question == "who" then return { answer = "probe" } end
end

function waterfall(text)
  return text .. ">probe"
end

function parallel()
  -- A Lua call has no timers to wait on: it answers when it returns.
end

jovian.events.on("probe.in", function(payload)
  jovian.events.emit("probe.out", { echo = payload })
end)

-- The Lua API has no state.keys(): the probe lists which of the keys it writes are set.
local KEYS = { "bag", "series" }

function run(input)
  local op = input.op
  if op == "config" then
    local before = jovian.config.get()
    jovian.config.set("level", input.level)
    return { before = before, after = jovian.config.get("level") }
  elseif op == "level" then
    return jovian.config.get("level")
  elseif op == "state" then
    jovian.state.set("bag", { list = { 1, 2 }, when = "now" })
    local keys = {}
    for _, key in ipairs(KEYS) do
      if jovian.state.get(key) ~= nil then keys[#keys + 1] = key end
    end
    return { bag = jovian.state.get("bag"), keys = keys }
  elseif op == "recall" then
    return jovian.state.get("series")
  elseif op == "throw-coded" then
    error({ code = "WEATHER_E_CITY", message = "the city is unknown", hint = "check the spelling" })
  elseif op == "throw-plain" then
    error("plain failure")
  elseif op == "not-cloneable" then
    return { callback = function() return "functions cannot cross" end }
  elseif op == "denied" then
    -- No file API in Lua: the door it may not open is the network (no network_outbound).
    local response, problem = jovian.http.get("https://example.com/")
    return { response = response, problem = problem }
  end
  return { echo = input }
end
`;

/** The probe's dependency: it only has to be there. */
export const LUA_PEER = `
function run(input)
  return { peer = input }
end
`;

/** Busy for ever: a Lua call cannot wait, only compute, so its instruction limit stops it. */
export const LUA_SLOW = `
function run(input)
  while true do end
end
`;

export const LUA_SYNCER = `
function sync() end
`;

export const LUA_HOSTILE_AT_LOAD = `
error("thrown at load")
function run(input) return "never defined" end
`;

/** Hostile behaviours, each selected by run()'s input: what a Lua plugin can try. */
export const LUA_HOSTILE = `
function run(input)
  local kind = input.kind
  if kind == "flood" then
    for i = 0, 2999 do jovian.events.emit("hostile.flood", i) end
    return { emitted = 3000 }
  elseif kind == "loop" then
    while true do end
  elseif kind == "memory" then
    local hog = {}
    for i = 1, 1e9 do hog[i] = ("x"):rep(4096) .. i end
  elseif kind == "exit" then
    os.exit(3)
  elseif kind == "fs-direct" then
    return io.open("/etc/hostname"):read("a")
  elseif kind == "spawn-direct" then
    return require("os").execute("echo escaped")
  elseif kind == "hog" then
    -- One C call (a pathological pattern match): the instruction limit cannot interrupt it.
    return { found = ("a"):rep(600):find(".-.-.-.-b") }
  end
  return "calm"
end
`;
