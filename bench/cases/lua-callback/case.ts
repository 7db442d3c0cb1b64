/**
 * Lua → host callbacks: a Lua plugin function that calls `jovian.state.get('k')` N times in a loop,
 * per callback, vs raw wasmoon calling a JS function registered as a global N times in the same loop.
 *
 * `jovian.state.get` is one of the calls the Lua guest answers in the Lua worker itself, from the copy
 * of the plugin's state it took at activation (src/runtimes/lua/guest/lua-guest.ts, LocalData), as are
 * `jovian.config.get` and the writes' local half; only writes, logs, events and `jovian.http` go on to
 * the host thread, and only `jovian.http` waits for it. So a callback is Lua → the prelude's wrapper →
 * the one C host function → JS (lua-host-calls.ts) → a value pushed back: no thread hop. Each call into
 * the plugin pays a fixed cost on top (the worker round trip), so the per-callback figure is
 * (time of a call with N callbacks − time of the same call with 0) / N, for each subject:
 * - jovian `host.run('callback', { n })`, the plugin active in the shared Lua worker;
 * - Jovian's sandbox in this thread (`sandbox.call('run', [{ n }])`: the same Lua state and host
 *   function, no worker hop);
 * - raw wasmoon in this thread: `get_state(key)` a JS function set with `global.set`.
 * No goal is fixed; the ratio to raw is printed.
 */
import { createChatHooks } from '../../../src/index.js';
import { compare } from '../../lib/harness.js';
import {
  assertLua,
  createLuaFolder,
  LuaFactory,
  loadedSandbox,
  localHostApi,
  rawEngine,
  startLuaHost,
} from '../../lib/lua.js';

const N = 1000;
const VALUE = 'a stored value';
const loop = (get: string) => `
    local last
    for i = 1, input.n do last = ${get}("k") end
    return last`;
const PLUGIN = `-- @id callback
-- @name Callback loop
-- @version 1.0.0
-- @author Bench
-- @description Reads its state N times

function run(input)
    if input.set ~= nil then
        jovian.state.set("k", input.set)
        return input.set
    end${loop('jovian.state.get')}
end
`;
const RAW = `function run(input)${loop('get_state')}
end
`;

const folder = createLuaFolder('lua-callback', [{ id: 'callback', source: PLUGIN }]);
const host = await startLuaHost(folder, createChatHooks());
await host.activate('callback');
assertLua(host, 'callback');
// The value is written once through the plugin (the host persists it), then read from the local copy.
await host.run('callback', { set: VALUE });

const factory = new LuaFactory();
const sandbox = await loadedSandbox(factory, 'callback', PLUGIN, localHostApi(new Map([['k', VALUE]])));
const raw = await rawEngine(factory);
const rawState = new Map([['k', VALUE]]);
raw.global.set('get_state', (key: string) => rawState.get(key));
await raw.doString(RAW);
const rawRun = raw.global.get('run') as (input: { n: number }) => unknown;

const input = { n: N };
const empty = { n: 0 };
const checks = [await host.run('callback', input), await sandbox.call('run', [input]), rawRun(input)];
if (checks.some((value) => value !== VALUE))
  throw new Error(`a loop did not read the value: ${JSON.stringify(checks)}`);

const subjects = {
  jovian: ['jovian host.run()', (arg: { n: number }) => host.run('callback', arg)],
  sandbox: ['jovian sandbox.call() (this thread)', (arg: { n: number }) => sandbox.call('run', [arg])],
  raw: ['raw wasmoon (this thread)', (arg: { n: number }) => rawRun(arg)],
} as const;
const result = await compare({
  title: `one call into a Lua plugin making ${N} callbacks (jovian.state.get / a JS global), and the same call making 0`,
  async: true,
  unit: 'µs/op',
  samples: 15,
  subjects: Object.values(subjects).flatMap(([name, call]) => [
    { name: `${name}, ${N} callbacks`, run: () => call(input) },
    { name: `${name}, 0 callbacks`, run: () => call(empty) },
  ]),
});

const perCallback = (name: string) =>
  (result.medians[`${name}, ${N} callbacks`]! - result.medians[`${name}, 0 callbacks`]!) / N / 1e3;
console.log(`\nper Lua → host callback ((${N} callbacks − 0) / ${N})`);
const rawUs = perCallback(subjects.raw[0]);
for (const [name] of Object.values(subjects))
  console.log(`  ${name.padEnd(36)}  ${perCallback(name).toFixed(2)} µs/callback`);
for (const [name] of [subjects.jovian, subjects.sandbox])
  console.log(`  ratio ${name} / ${subjects.raw[0]} = ${(perCallback(name) / rawUs).toFixed(2)}×`);

sandbox.close();
raw.global.close();
await host.stop();
folder.cleanup();
