/**
 * One `filter_message` hook call into a Lua plugin, a table payload in and out
 * (`{ role: 'user', content: '  Hello   THERE  ' }`): the chat host's `hooks.filter_message.call()` with
 * the seed's filters.lua active (in its hardened Lua state in the shared Lua worker) vs a raw wasmoon
 * call of the same function in this thread (`doString(source)`, then `global.get('filter_message')`,
 * a plain table copied in and out). To tell where the time goes, the same run shows:
 * - the plugin's RPC endpoint alone (`guest.call('tap.invoke')`, what the hook's tap wraps);
 * - Jovian's sandbox alone in this thread (`createLuaSandbox(...).call('filter_message', [payload])`:
 *   the hardening, the per-call instruction limit and the value conversion, without the worker hop);
 * - the same sandbox in a bare worker answering on a raw MessagePort (the worker hop without Jovian's
 *   RPC protocol; the sandbox from dist/, as the Lua worker runs it);
 * - the floors of any Lua-in-a-worker design: a MessagePort ping-pong with a bare worker carrying the
 *   payload, and a bare worker that makes the raw wasmoon call for each message.
 * Goal: the Jovian hook call ≤ 1.2× the raw wasmoon call (printed, not enforced). The Lua states run in
 * a worker so that the host can stop a C call Lua cannot interrupt; a bare MessagePort ping-pong alone
 * costs about as much as the raw call, so the same goal is also printed against raw wasmoon in a bare
 * worker. Blocks of 2000 calls per sample measure the steady state (a worker that sleeps between calls
 * wakes up slower, whatever runs in it).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ChatMessage, createChatHooks } from '../../../src/index.js';
import { compare } from '../../lib/harness.js';
import { startRawWorker } from '../../lib/isolated.js';
import {
  assertLua,
  BUILT_SANDBOX,
  createLuaFolder,
  FILTERED,
  filtersSource,
  LuaFactory,
  loadedSandbox,
  MESSAGE,
  rawEngine,
  SANDBOX_LIMITS,
  startLuaHost,
} from '../../lib/lua.js';

const source = filtersSource();
const folder = createLuaFolder('lua-hook-call', [{ id: 'filters', source }]);
const hooks = createChatHooks();
const host = await startLuaHost(folder, hooks);
await host.activate('filters');
assertLua(host, 'filters');
const record = host.record('filters')!;
const guest = record.active!.instance.guest;
// The Lua guest numbers its taps by the hook's position in contributes.hooks, from 1.
const tapId = record.manifest!.contributes.hooks.findIndex((h) => h.name === 'filter_message') + 1;
// The chat hooks take a ChatMessage; the filter reads and writes `content` only.
const payload = MESSAGE as unknown as ChatMessage;

const factory = new LuaFactory();
const sandbox = await loadedSandbox(factory, 'filters', source);
const raw = await rawEngine(factory);
await raw.doString(source);
const rawFilter = raw.global.get('filter_message') as (message: typeof MESSAGE) => { content: string };

/** A bare worker running `body` (after `import`s), answering each message; posts 'ready' once set up. */
function bareWorker(name: string, body: string) {
  const file = join(folder.root, `${name}.mjs`);
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';\n${body}\nparentPort.postMessage('ready');\n`,
  );
  return startRawWorker(file);
}
const wasmoonUrl = pathToFileURL(createRequire(import.meta.url).resolve('wasmoon')).href;
const rawLuaWorker = bareWorker(
  'raw-lua-worker',
  `import wasmoon from ${JSON.stringify(wasmoonUrl)};
const lua = await new wasmoon.LuaFactory().createEngine({ enableProxy: false });
await lua.doString(${JSON.stringify(source)});
const filter = lua.global.get('filter_message');
parentPort.on('message', (message) => parentPort.postMessage(filter(message)));`,
);
const sandboxWorker = bareWorker(
  'sandbox-worker',
  `import { createLuaFactory, createLuaSandbox } from ${JSON.stringify(pathToFileURL(BUILT_SANDBOX).href)};
const api = { log() {}, configGet() {}, configSet() {}, stateGet() {}, stateSet() {}, emit() {}, subscribe() {},
  http: () => Promise.reject(new Error('no network')) };
const lua = await createLuaSandbox(createLuaFactory(), { id: 'filters', ...${JSON.stringify(SANDBOX_LIMITS)}, api });
await lua.load(${JSON.stringify(source)}, 'filters.lua');
parentPort.on('message', (message) => lua.call('filter_message', [message]).then((r) => parentPort.postMessage(r)));`,
);
const echoWorker = bareWorker('echo-worker', `parentPort.on('message', (m) => parentPort.postMessage(m));`);
await Promise.all([rawLuaWorker.ready, sandboxWorker.ready, echoWorker.ready]);

const content = (value: unknown) => (value as { content?: unknown }).content;
const checks = [
  content(await hooks.filter_message.call(payload)),
  content(await guest.call('tap.invoke', tapId, [payload])),
  content(await sandbox.call('filter_message', [payload])),
  content(rawFilter(MESSAGE)),
  content(await rawLuaWorker.roundTrip(MESSAGE)),
  content(await sandboxWorker.roundTrip(MESSAGE)),
];
if (checks.some((c) => c !== FILTERED) || (MESSAGE.content as string) === FILTERED)
  throw new Error(`the filter did not run everywhere: ${JSON.stringify(checks)}`);

const HOOK = 'jovian hooks.filter_message.call()';
const RPC = 'jovian RpcEndpoint tap.invoke only';
const SANDBOX_WORKER = 'jovian sandbox in a bare worker';
const SANDBOX = 'jovian sandbox.call() (this thread)';
const RAW = 'raw wasmoon call (this thread)';
const RAW_WORKER = 'raw wasmoon in a bare worker';
const PING = 'raw MessagePort ping-pong (no Lua)';
const result = await compare({
  title: 'one filter_message call into a Lua plugin, table payload in and out',
  async: true,
  unit: 'µs/op',
  samples: 21,
  opsPerSample: 2000,
  reference: RAW,
  subjects: [
    { name: HOOK, run: () => hooks.filter_message.call(payload) },
    { name: RPC, run: () => guest.call('tap.invoke', tapId, [payload]) },
    { name: SANDBOX_WORKER, run: () => sandboxWorker.roundTrip(MESSAGE) },
    { name: SANDBOX, run: () => sandbox.call('filter_message', [payload]) },
    { name: RAW, run: () => rawFilter(MESSAGE) },
    { name: RAW_WORKER, run: () => rawLuaWorker.roundTrip(MESSAGE) },
    { name: PING, run: () => echoWorker.roundTrip(MESSAGE) },
  ],
  goals: [
    { subject: HOOK, reference: RAW, maxRatio: 1.2 },
    // Like for like: Lua in a worker the host can terminate, as the sandbox requires.
    { subject: HOOK, reference: RAW_WORKER, maxRatio: 1.2 },
  ],
});
const us = (name: string) => (result.medians[name]! / 1e3).toFixed(1);
const minus = (a: string, b: string) => ((result.medians[a]! - result.medians[b]!) / 1e3).toFixed(1);
console.log(
  `  where the time goes: hook dispatch ${minus(HOOK, RPC)} µs + RPC protocol and Lua guest ${minus(RPC, SANDBOX_WORKER)} µs` +
    ` + worker hop (the call made in a bare worker) ${minus(SANDBOX_WORKER, SANDBOX)} µs + sandbox call ${us(SANDBOX)} µs`,
);
console.log(
  `  raw in a worker: hop ${minus(RAW_WORKER, RAW)} µs + wasmoon call ${us(RAW)} µs; bare hop alone ${us(PING)} µs`,
);

await Promise.all([rawLuaWorker.close(), sandboxWorker.close(), echoWorker.close()]);
sandbox.close();
raw.global.close();
await host.stop();
folder.cleanup();
