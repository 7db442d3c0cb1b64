/**
 * Load time per Lua plugin: a host over a plugins directory of N = 50 distinct single-file Lua plugins
 * (a header and a small `filter_message`), the time to activate all of them, per plugin, vs a raw
 * wasmoon baseline: a new engine from a shared factory and `doString` of the same source, per plugin.
 * Jovian is timed two ways: `host.activate(id)` for each plugin in turn (state machine, the plugin's
 * MessagePort into the shared Lua worker, handshake, hardened Lua state, its source run, its config and
 * state fetched, its hooks tapped), and one `filter_message` call, which activates every plugin through
 * its hook placeholder (`onHook:filter_message`) and then runs all the filters (the keeper's too). Jovian's sandbox alone
 * in this thread (`createLuaSandbox` + `load`, per plugin) tells the Lua state's share from the rest;
 * the host's record of each activation (load, activate()) and the rest of `host.activate()` are shown.
 *
 * What is paid once stays out of the per-plugin figures and is printed apart: the Lua worker's start
 * and wasmoon's module (a `keeper` plugin, activated first, keeps the worker running; the raw side and
 * the sandbox create their factory up front). Rounds alternate the subjects; each round's plugins are
 * deactivated (the raw engines and sandboxes closed) outside the timing. Goal: ≤ 5 ms per plugin
 * (seed target: < 50 ms); the ratio to raw is printed.
 */
import { type ChatMessage, createChatHooks } from '../../../src/index.js';
import { median, record } from '../../lib/harness.js';
import {
  assertLua,
  createLuaFolder,
  generatedPlugin,
  LuaFactory,
  loadedSandbox,
  MESSAGE,
  rawEngine,
  startLuaHost,
} from '../../lib/lua.js';

const N = 50;
const ROUNDS = 7;
const GOAL_MS = 5;
const plugins = Array.from({ length: N }, (_, i) => generatedPlugin(i + 1));
const keeper = generatedPlugin(0);
const folder = createLuaFolder('lua-load', [keeper, ...plugins]);
const hooks = createChatHooks();
const ns = (start: bigint) => Number(process.hrtime.bigint() - start);

let start = process.hrtime.bigint();
const host = await startLuaHost(folder, hooks);
const hostStartNs = ns(start);
start = process.hrtime.bigint();
await host.activate(keeper.id);
const firstNs = ns(start);
assertLua(host, keeper.id);
start = process.hrtime.bigint();
const factory = new LuaFactory();
await (await rawEngine(factory)).global.close();
const rawFirstNs = ns(start);

async function deactivateAll(): Promise<void> {
  for (const plugin of plugins) await host.deactivate(plugin.id);
}

const split = { load: [] as number[], activate: [] as number[], rest: [] as number[] };
async function jovianEach(): Promise<number> {
  const each: number[] = [];
  const begin = process.hrtime.bigint();
  for (const plugin of plugins) {
    const one = process.hrtime.bigint();
    await host.activate(plugin.id);
    each.push(ns(one));
  }
  const elapsed = ns(begin);
  plugins.forEach((plugin, i) => {
    assertLua(host, plugin.id);
    const outcome = host.record(plugin.id)!.outcome;
    const load = (outcome.loadMs ?? Number.NaN) * 1e6;
    const activate = (outcome.activateMs ?? Number.NaN) * 1e6;
    split.load.push(load);
    split.activate.push(activate);
    split.rest.push(each[i]! - load - activate);
  });
  await deactivateAll();
  return elapsed;
}

async function jovianHook(): Promise<number> {
  const begin = process.hrtime.bigint();
  const message = (await hooks.filter_message.call({ ...MESSAGE } as unknown as ChatMessage)) as unknown as {
    tags?: string[];
  };
  const elapsed = ns(begin);
  // The keeper and the 50 plugins each added their id.
  if (message.tags?.length !== N + 1) throw new Error(`only ${message.tags?.length} filters ran`);
  for (const plugin of plugins) assertLua(host, plugin.id);
  await deactivateAll();
  return elapsed;
}

async function raw(): Promise<number> {
  const begin = process.hrtime.bigint();
  const engines = [];
  for (const plugin of plugins) {
    const engine = await rawEngine(factory);
    await engine.doString(plugin.source);
    engines.push(engine);
  }
  const elapsed = ns(begin);
  for (const engine of engines) engine.global.close();
  return elapsed;
}

async function sandbox(): Promise<number> {
  const begin = process.hrtime.bigint();
  const sandboxes = [];
  for (const plugin of plugins) sandboxes.push(await loadedSandbox(factory, plugin.id, plugin.source));
  const elapsed = ns(begin);
  for (const one of sandboxes) one.close();
  return elapsed;
}

const EACH = 'jovian host.activate() each';
const HOOK = 'jovian one filter_message call (onHook)';
const SANDBOX = 'jovian sandbox create + load (this thread)';
const RAW = 'raw wasmoon createEngine + doString';
const subjects: [string, () => Promise<number>][] = [
  [EACH, jovianEach],
  [HOOK, jovianHook],
  [SANDBOX, sandbox],
  [RAW, raw],
];
const times = new Map<string, number[]>(subjects.map(([name]) => [name, []]));
// Warm-up: the first round of each pays for compiling code in this thread and in the worker.
for (const [, run] of subjects) await run();
for (const list of Object.values(split)) list.length = 0;
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? subjects : [...subjects].reverse();
  for (const [name, run] of order) times.get(name)!.push((await run()) / N);
}

const medians: Record<string, number> = {};
for (const [name, list] of times) medians[name] = median(list);
// The host's own record of each activation: runtime.load() (the plugin's port into the Lua worker and
// the handshake), the guest's activate(), and the rest of host.activate() (afterLoad: data folder,
// migrations.list, config; the state machine), which the record does not time.
medians['  of which: load (host record)'] = median(split.load);
medians['  of which: activate() (host record)'] = median(split.activate);
medians['  of which: the rest (afterLoad, states)'] = median(split.rest);
const goalNs = GOAL_MS * 1e6;
record(
  {
    title: `load time per Lua plugin, ${N} plugins activated one after another (median of ${ROUNDS} rounds, per plugin)`,
    medians,
    goals: [EACH, HOOK].map((subject) => ({
      subject,
      reference: `${GOAL_MS} ms`,
      maxRatio: 1,
      ratio: medians[subject]! / goalNs,
      met: medians[subject]! <= goalNs,
    })),
  },
  'ms/op',
);
for (const name of [EACH, HOOK, SANDBOX])
  console.log(`  ratio ${name} / ${RAW} = ${(medians[name]! / medians[RAW]!).toFixed(2)}×`);
const ms = medians[EACH]! / 1e6;
console.log(
  `  seed target: a Lua plugin loads in < 50 ms — ${ms < 50 ? 'met' : 'MISS'} (${ms.toFixed(2)} ms)`,
);
console.log(
  `  paid once: host.start() over ${N + 1} Lua files ${(hostStartNs / 1e6).toFixed(1)} ms; first Lua plugin (starts the Lua worker) ${(firstNs / 1e6).toFixed(1)} ms; raw new LuaFactory() + first engine ${(rawFirstNs / 1e6).toFixed(1)} ms`,
);

await host.stop();
folder.cleanup();
