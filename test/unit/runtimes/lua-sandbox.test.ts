import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LuaFactory } from 'wasmoon';
import { createLuaFactory, createLuaSandbox } from '../../../src/runtimes/lua/guest/lua-sandbox.js';
import type { LuaHostApi, LuaSandbox } from '../../../src/runtimes/lua/guest/sandbox-types.js';

/** The seed's three example plugins, verbatim, as they ship in examples/plugins. */
const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples', 'plugins');
const [FILTERS, WELCOME, COMMANDS] = ['filters', 'welcome', 'commands'].map((id) =>
  readFileSync(join(EXAMPLES, `${id}.lua`), 'utf8'),
) as [string, string, string];

/** A host API that records what the plugin asked for. */
function recordingApi(overrides: Partial<LuaHostApi> = {}) {
  const calls: unknown[][] = [];
  const logs: [string, string][] = [];
  const config: Record<string, unknown> = { greeting: 'hi', limits: { max: 3 } };
  const state = new Map<string, unknown>();
  const api: LuaHostApi = {
    log: (level, message) => void logs.push([level, message]),
    configGet: (key) => (key === undefined ? config : config[key]),
    configSet: (key, value) => void calls.push(['configSet', key, value]),
    stateGet: (key) => state.get(key),
    stateSet: (key, value) => {
      state.set(key, value);
      calls.push(['stateSet', key, value]);
    },
    emit: (topic, data) => void calls.push(['emit', topic, data]),
    subscribe: (topic, id) => void calls.push(['subscribe', topic, id]),
    http: async (method, url, body) => {
      calls.push(['http', method, url, body]);
      if (url.includes('down')) throw new Error('connection refused');
      return { status: 200, body: `${method} ${url}` };
    },
    ...overrides,
  };
  return { api, calls, logs };
}

let factory: LuaFactory;
beforeAll(() => {
  factory = createLuaFactory();
});

async function sandbox(
  source = '',
  options: { memoryBytes?: number; instructionLimit?: number; api?: LuaHostApi; id?: string } = {},
): Promise<LuaSandbox> {
  const lua = await createLuaSandbox(factory, {
    id: options.id ?? 'test',
    memoryBytes: options.memoryBytes ?? 16 * 1024 * 1024,
    instructionLimit: options.instructionLimit ?? 1_000_000,
    api: options.api ?? recordingApi().api,
  });
  await lua.load(source, 'plugin.lua');
  return lua;
}

/** Evaluates a Lua expression list in a fresh sandbox: `return <code>`. */
async function evaluate(code: string, api?: LuaHostApi): Promise<unknown> {
  const lua = await sandbox(`function probe() ${code} end`, { api });
  try {
    return await lua.call('probe', []);
  } finally {
    lua.close();
  }
}

describe('Lua sandbox', () => {
  describe('hardening', () => {
    it.each(['os', 'io', 'debug', 'package', 'require', 'loadfile', 'dofile', 'string.dump', '("").dump'])(
      'should leave %s out',
      async (name) => {
        expect(await evaluate(`return ${name} == nil`)).toBe(true);
      },
    );

    it('should keep the safe libraries', async () => {
      expect(
        await evaluate(
          'return { type(string.format), type(table.concat), type(math.floor), type(utf8.char), type(coroutine.wrap) }',
        ),
      ).toEqual(['function', 'function', 'function', 'function', 'function']);
    });

    it('should refuse collectgarbage("collect") and answer collectgarbage("count")', async () => {
      await expect(evaluate('collectgarbage("collect")')).rejects.toThrow(
        /plugin\.lua:1: collectgarbage: only collectgarbage\("count"\)/,
      );
      await expect(evaluate('collectgarbage()')).rejects.toThrow(/only collectgarbage\("count"\)/);
      expect(await evaluate('return collectgarbage("count") > 0')).toBe(true);
    });

    it('should refuse a binary chunk in load() inside Lua', async () => {
      expect(
        await evaluate('local f, e = load(string.char(27) .. "LuaT\\0") return { refused = f == nil, e }'),
      ).toEqual({
        refused: true,
        1: 'load: binary chunks are not allowed in a Jovian sandbox',
      });
      expect(await evaluate('local f, e = load(string.char(27) .. "LuaT", "x", "b") return e')).toMatch(
        /binary chunks/,
      );
    });

    it('should refuse a binary chunk in sandbox.load', async () => {
      const lua = await sandbox();
      await expect(lua.load('\x1bLuaT\x00\x19\x93', 'evil.luac')).rejects.toThrow(
        /evil\.luac: binary Lua chunks are not accepted/,
      );
      lua.close();
    });

    it('should run load() in text mode in the plugin’s globals only', async () => {
      expect(await evaluate('secret = 41 return load("return secret + 1")()')).toBe(42);
      expect(await evaluate('return load("return _G")() == _G')).toBe(true);
      expect(await evaluate('return load("return os, debug, print ~= nil")()')).toBeUndefined();
      expect(await evaluate('return load("return x", "chunk", "t", { x = "own env" })()')).toBe('own env');
    });

    it('should have no debug.sethook to cancel the instruction limit', async () => {
      expect(await evaluate('return debug == nil and (_G.debug == nil)')).toBe(true);
      await expect(evaluate('debug.sethook()')).rejects.toThrow(
        /attempt to index a nil value \(global 'debug'\)/,
      );
    });

    it('should lock the string metatable', async () => {
      expect(await evaluate('return getmetatable("")')).toBe(false);
      await expect(
        evaluate('getmetatable("").__index = { upper = function() return "pwned" end }'),
      ).rejects.toThrow(/attempt to index a boolean value/);
      await expect(evaluate('setmetatable("", {})')).rejects.toThrow(
        /bad argument #1 to 'setmetatable' \(table expected, got string\)/,
      );
      expect(await evaluate('return ("abc"):upper()')).toBe('ABC');
    });

    it('should refuse __gc metamethods, which would run outside the instruction limit', async () => {
      await expect(evaluate('setmetatable({}, { __gc = function() while true do end end })')).rejects.toThrow(
        /__gc metamethods are not allowed/,
      );
    });

    it('should not let the plugin resume or close a thread the host runs calls on', async () => {
      await expect(evaluate('coroutine.resume(coroutine.running())')).rejects.toThrow(
        "plugin.lua:1: bad argument #1 to 'resume' (not a coroutine of this plugin)",
      );
      await expect(evaluate('coroutine.close(coroutine.running())')).rejects.toThrow(
        "bad argument #1 to 'close' (not a coroutine of this plugin)",
      );
    });
  });

  describe('limits', () => {
    it('should fail a memory bomb with a memory error, and keep that sandbox and its neighbour answering', async () => {
      const neighbour = await sandbox('function ping() return "pong" end', { memoryBytes: 8 * 1024 * 1024 });
      const bomb = await sandbox(
        `function bomb() local t = {} for i=1,1e9 do t[i] = ("x"):rep(1024) end end
         function ping() return "still here" end`,
        { memoryBytes: 8 * 1024 * 1024, instructionLimit: 100_000_000 },
      );
      await expect(bomb.call('bomb', [])).rejects.toThrow(
        /plugin `test` ran out of memory: its Lua state may use 8 MiB/,
      );
      expect(await bomb.call('ping', [])).toBe('still here');
      expect(await neighbour.call('ping', [])).toBe('pong');
      expect(bomb.memoryUsed()).toBeLessThan(8 * 1024 * 1024);
      bomb.close();
      neighbour.close();
    });

    it('should stop an endless loop at the instruction limit, and answer the next call', async () => {
      const lua = await sandbox(
        `function spin()
           local turns = 0 while true do turns = turns + 1 end
         end
         function ping() return "pong" end`,
        { instructionLimit: 100_000 },
      );
      await expect(lua.call('spin', [])).rejects.toThrow(
        'plugin `test` exceeded its instruction limit (100000 Lua instructions per call) in spin() (at plugin.lua:2)',
      );
      expect(await lua.call('ping', [])).toBe('pong');
      lua.close();
    });

    it.each([
      ['pcall in a loop', 'while true do pcall(function() while true do end end) end'],
      [
        'xpcall with a handler',
        'while true do xpcall(function() while true do end end, function() while true do end end) end',
      ],
      ['nested pcalls', 'pcall(function() while true do pcall(function() while true do end end) end end)'],
      ['many short coroutines', 'while true do coroutine.wrap(function() for i = 1, 900 do end end)() end'],
      [
        'a loop inside a coroutine',
        'local co = coroutine.create(function() while true do end end) while true do coroutine.resume(co) end',
      ],
      ['a table.sort comparator', 'local t = {3, 2, 1} table.sort(t, function(a, b) while true do end end)'],
      [
        'string.gsub callbacks',
        'while true do pcall(string.gsub, "aaaa", "a", function() while true do end end) end',
      ],
    ])('should not let %s outlive the instruction limit', async (_, code) => {
      const lua = await sandbox(`function run() ${code} end function ping() return "pong" end`, {
        instructionLimit: 50_000,
      });
      await expect(lua.call('run', [])).rejects.toThrow(
        /exceeded its instruction limit|instruction limit exceeded/,
      );
      expect(await lua.call('ping', [])).toBe('pong');
      lua.close();
    });
  });

  describe('isolation', () => {
    it('should give each sandbox of one factory its own globals and data', async () => {
      const a = await sandbox(
        'shared = "from a" function read() return { shared = shared, seen = seen } end',
      );
      const b = await sandbox('seen = "from b" function read() return { shared = shared, seen = seen } end');
      await a.load('string.leak = "a"', 'patch.lua');
      expect(await a.call('read', [])).toEqual({ shared: 'from a' });
      expect(await b.call('read', [])).toEqual({ seen: 'from b' });
      expect(await b.load('assert(string.leak == nil, "string table shared")', 'check.lua')).toBeUndefined();
      a.close();
      b.close();
    });
  });

  describe('host API', () => {
    it('should send print, warn, jovian.log and jarvis.log to api.log', async () => {
      const { api, logs } = recordingApi();
      await evaluate(
        'print("a", 1, nil, true) warn("careful", "!") warn("@on") jovian.log("plain") jovian.log("bad", "error") jarvis.log("👋 hi")',
        api,
      );
      expect(logs).toEqual([
        ['info', 'a\t1\tnil\ttrue'],
        ['warn', 'careful!'],
        ['info', 'plain'],
        ['error', 'bad'],
        ['info', '👋 hi'],
      ]);
      await expect(evaluate('jovian.log("x", "loud")', api)).rejects.toThrow(
        /plugin\.lua:1: jovian\.log: the level must be debug, info, warn or error, not "loud"/,
      );
    });

    it('should provide string.trim', async () => {
      expect(
        await evaluate(
          'return { string.trim("  a b \\t\\n"), ("\\n x "):trim(), string.trim(""), string.trim("   ") }',
        ),
      ).toEqual(['a b', 'x', '', '']);
    });

    it('should reach the api for config, state and events', async () => {
      const { api, calls } = recordingApi();
      const result = await evaluate(
        `jovian.config.set("greeting", "hello")
         jovian.state.set("count", { n = 1, tags = { "a", "b" } })
         jovian.events.emit("chat.seen", { id = 7 })
         return { jovian.config.get("greeting"), jovian.config.get().limits.max, jovian.state.get("count").tags[2], jovian.state.get("none") == nil }`,
        api,
      );
      expect(result).toEqual(['hi', 3, 'b', true]);
      expect(calls).toEqual([
        ['configSet', 'greeting', 'hello'],
        ['stateSet', 'count', { n: 1, tags: ['a', 'b'] }],
        ['emit', 'chat.seen', { id: 7 }],
      ]);
      await expect(evaluate('jovian.state.set("f", { cb = print })', api)).rejects.toThrow(
        /plugin\.lua:1: jovian\.state\.set: a Lua function cannot cross between Lua and the host \(at value\.cb\)/,
      );
      await expect(evaluate('jovian.state.get(42)', api)).rejects.toThrow(
        /jovian\.state\.get: the key must be a string, not number/,
      );
    });

    it('should subscribe with events.on and deliver events to the callback', async () => {
      const { api, calls, logs } = recordingApi();
      const lua = await sandbox(
        'jovian.events.on("user.joined", function(event) jovian.log("welcome " .. event.name) end)',
        {
          api,
        },
      );
      expect(calls).toEqual([['subscribe', 'user.joined', 1]]);
      await lua.deliver(1, { name: 'Ada' });
      await lua.deliver(99, { name: 'nobody' });
      expect(logs).toEqual([['info', 'welcome Ada']]);
      lua.close();
    });

    it('should let jovian.http wait for the host, also inside a coroutine', async () => {
      const { api, calls } = recordingApi();
      const lua = await sandbox(
        `function get(url) local r, e = jovian.http.get(url) return { response = r, problem = e } end
         function post(url) return jovian.http.post(url, { a = 1 }) end
         function nested(url)
           local co = coroutine.wrap(function() local r = jovian.http.get(url) coroutine.yield(r.body) return "done" end)
           return { co(), co() }
         end
         function in_sort() local r = {} table.sort({ 2, 1 }, function(a, b) r = { jovian.http.get("x") } return a < b end) return r end`,
        { api },
      );
      expect(await lua.call('get', ['https://example.org/a'])).toEqual({
        response: { status: 200, body: 'GET https://example.org/a' },
      });
      expect(await lua.call('get', ['https://down.example.org'])).toEqual({
        problem: 'GET https://down.example.org failed: connection refused',
      });
      expect(await lua.call('post', ['https://example.org/p'])).toEqual({
        status: 200,
        body: 'POST https://example.org/p',
      });
      expect(calls).toContainEqual(['http', 'POST', 'https://example.org/p', { a: 1 }]);
      expect(await lua.call('nested', ['https://example.org/n'])).toEqual([
        'GET https://example.org/n',
        'done',
      ]);
      expect(await lua.call('in_sort', [])).toEqual({
        2: expect.stringMatching(/cannot wait for an answer here/),
      });
      lua.close();
    });

    it('should run two calls that wait for the host at the same time', async () => {
      const answers: ((value: { status: number; body: string }) => void)[] = [];
      const { api } = recordingApi({ http: () => new Promise((resolve) => answers.push(resolve)) });
      const lua = await sandbox('function get(url) return url .. " " .. jovian.http.get(url).body end', {
        api,
      });
      const first = lua.call('get', ['one']);
      const second = lua.call('get', ['two']);
      await new Promise((resolve) => setImmediate(resolve));
      answers[1]?.({ status: 200, body: 'B' });
      answers[0]?.({ status: 200, body: 'A' });
      expect(await Promise.all([first, second])).toEqual(['one A', 'two B']);
      lua.close();
    });
    it('should fail a call still waiting for the host when the sandbox closes', async () => {
      const { api } = recordingApi({ http: () => new Promise(() => undefined) });
      const lua = await sandbox('function get() return jovian.http.get("https://slow.example.org") end', {
        api,
      });
      const waiting = lua.call('get', []);
      lua.close();
      await expect(waiting).rejects.toThrow('plugin `test`: its Lua state is closed (get())');
      await expect(lua.call('get', [])).rejects.toThrow(/its Lua state is closed/);
      expect(lua.hasFunction('get')).toBe(false);
    });

    it('should refuse a jovian.http call without a url at the plugin’s line', async () => {
      await expect(evaluate('\n jovian.http.get(42)')).rejects.toThrow(
        'plugin.lua:2: jovian.http: the url must be a string, not number',
      );
    });
  });

  describe('#call', () => {
    it('should round-trip nested tables, arrays and UTF-8 strings', async () => {
      const lua = await sandbox('function echo(...) return { ... } end function same(v) return v end');
      const value = {
        text: 'héllo wörld 🤖👋🏽 — 日本語',
        list: [1, 2.5, -3, 'four', true, false],
        nested: { deeper: { deepest: ['x', { y: 'z' }] } },
        empty: {},
        mixed: { 1: 'one', two: 2 },
      };
      expect(await lua.call('same', [value])).toEqual({ ...value, mixed: { '1': 'one', two: 2 } });
      expect(await lua.call('echo', ['a', 1, { b: [] }])).toEqual(['a', 1, { b: {} }]);
      expect(await lua.call('same', ['with \0 nul'])).toBe('with \0 nul');
      expect(await lua.call('same', [undefined])).toBeUndefined();
      lua.close();
    });

    it('should refuse a function, a cycle or an odd key in a result with a clear error', async () => {
      const lua = await sandbox(`function f() return print end
        function nested() return { handlers = { on = function() end } } end
        function cycle() local t = {} t.self = t return t end
        function key() return { [true] = 1 } end`);
      await expect(lua.call('f', [])).rejects.toThrow(
        'a Lua function cannot cross between Lua and the host (at result)',
      );
      await expect(lua.call('nested', [])).rejects.toThrow(
        'a Lua function cannot cross between Lua and the host (at result.handlers.on)',
      );
      await expect(lua.call('cycle', [])).rejects.toThrow(
        /a table that contains itself .* \(at result\.self\)/,
      );
      await expect(lua.call('key', [])).rejects.toThrow(/a table key of type boolean/);
      expect(await lua.call('nested', []).catch((error: { code?: string }) => error.code)).toBe(
        'JOVIAN_E_NOT_CLONEABLE',
      );
      lua.close();
    });

    it('should refuse arguments that are not plain data', async () => {
      const lua = await sandbox('function same(v) return v end');
      await expect(lua.call('same', [{ when: new Date(0) }])).rejects.toThrow(
        /a Date instance \(not a plain object\).*\(at args\[0\]\.when\)/,
      );
      await expect(lua.call('same', [{ f: () => 1 }])).rejects.toThrow(/a JS function .*\(at args\[0\]\.f\)/);
      expect(await lua.call('same', ['still fine'])).toBe('still fine');
      lua.close();
    });

    it('should report a runtime error with the plugin’s file and line', async () => {
      const lua = await sandbox(
        '\n\nfunction broken(message)\n  return message.content.length\nend\nfunction raise() error("custom failure") end',
      );
      await expect(lua.call('broken', [{}])).rejects.toThrow(
        "plugin.lua:4: attempt to index a nil value (field 'content')",
      );
      await expect(lua.call('raise', [])).rejects.toThrow('plugin.lua:6: custom failure');
      await expect(lua.call('missing', [])).rejects.toThrow(
        "the plugin defines no global function 'missing'",
      );
      lua.close();
    });

    it('should raise a coded error from a table with a message, code and hint', async () => {
      const lua = await sandbox(
        [
          'function coded() error({ code = "WEATHER_E_CITY", message = "the city is unknown", hint = "check the spelling" }) end',
          'function bare() error({ message = "no code" }) end',
          'function other() error({ reason = "no message" }) end',
        ].join('\n'),
      );
      const error = await lua.call('coded', []).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'WEATHER_E_CITY',
        message: 'the city is unknown',
        hint: 'check the spelling',
      });
      expect((error as Error).stack).toContain('plugin.lua:1');
      await expect(lua.call('bare', [])).rejects.toMatchObject({ message: 'no code', code: undefined });
      await expect(lua.call('other', [])).rejects.toThrow(
        '(error object is a table value) (at plugin.lua:3)',
      );
      lua.close();
    });
  });

  describe('#load', () => {
    it('should report a syntax error with the file and line', async () => {
      const lua = await createLuaSandbox(factory, {
        id: 'syntax',
        memoryBytes: 1 << 24,
        instructionLimit: 1e6,
        api: recordingApi().api,
      });
      await expect(
        lua.load('function ok() end\n\nfunction broken(\n  return 1\nend', 'broken.lua'),
      ).rejects.toThrow(/^broken\.lua:4: <name>.* expected near 'return'/);
      await expect(lua.load('local x = = 1', 'other.lua')).rejects.toThrow(
        /^other\.lua:1: unexpected symbol near '='/,
      );
      lua.close();
    });

    it('should tell which functions the plugin defines', async () => {
      const lua = await sandbox(FILTERS);
      expect([
        lua.hasFunction('filter_message'),
        lua.hasFunction('filter_response'),
        lua.hasFunction('on_chat'),
      ]).toEqual([true, true, false]);
      lua.close();
    });
  });

  describe('the seed’s plugins', () => {
    it('should run filters, welcome and commands unmodified', async () => {
      const { api, logs } = recordingApi();
      const filters = await sandbox(FILTERS, { id: 'filters' });
      const welcome = await sandbox(WELCOME, { id: 'welcome', api });
      const commands = await sandbox(COMMANDS, { id: 'commands' });
      expect(await filters.call('filter_message', [{ role: 'user', content: '  Hello   THERE ' }])).toEqual({
        role: 'user',
        content: ' hello there ',
      });
      expect(await filters.call('filter_response', [{ content: 'You said: hi' }])).toEqual({
        content: 'You said: hi 🤖',
      });
      expect(await welcome.call('on_chat', [{ role: 'user', content: 'hello' }])).toEqual({
        greeting_sent: true,
      });
      expect(logs).toEqual([['info', '👋 User message: hello']]);
      expect(await commands.call('on_command', [{ name: 'help', args: [] }])).toEqual({
        response: 'Commands: /help, /status, /about',
      });
      expect(await commands.call('on_command', [{ name: 'weather', args: ['paris'] }])).toBeUndefined();
      for (const lua of [filters, welcome, commands]) lua.close();
    });
  });
});
