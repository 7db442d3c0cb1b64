/**
 * Memory per loaded Lua plugin, with 50 Lua plugins active vs none, against raw wasmoon engines from a
 * shared factory (BASELINES.md: ~0.22 MiB each). Each subject is measured in a fresh Node process (a
 * WebAssembly memory never shrinks, so one measurement would skew the next); rounds alternate them.
 *
 * What is counted:
 * - jovian: the growth of the whole process's resident set (RSS: both threads' V8 heaps, the Lua
 *   worker's WebAssembly memory where every Lua state lives, the MessagePorts and the host's records)
 *   while 50 single-file plugins are activated in a started host. "per plugin" leaves out what is paid
 *   once, measured after a first plugin is active (the Lua worker, wasmoon's module); "from 0" divides
 *   everything from the started host with no Lua plugin active by the 51 plugins. The Lua worker does
 *   not report its own heap or its states' memory on Node 20 (no Worker.getHeapStatistics), so:
 * - jovian sandbox (this thread): the same hardened state per plugin (`createLuaSandbox` + `load`,
 *   what the worker creates), its RSS growth here, and the Lua allocations the state counts itself
 *   (`memoryUsed()`, the figure its memory cap applies to);
 * - raw: `factory.createEngine()` + `doString` of the same source, RSS growth, and the Lua
 *   allocations wasmoon counts (`global.getMemoryUsed()`, with `traceAllocations`).
 * Goal: ≤ 0.3 MiB per plugin (printed, not enforced); ratios to raw are printed. Run with --expose-gc
 * (`npm run bench` does).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createChatHooks } from '../../../src/index.js';
import { median, record } from '../../lib/harness.js';
import { rssKiB, sleep } from '../../lib/isolated.js';
import {
  assertLua,
  createLuaFolder,
  generatedPlugin,
  LuaFactory,
  loadedSandbox,
  rawEngine,
  startLuaHost,
} from '../../lib/lua.js';

const N = 50;
const ROUNDS = 3;
const SETTLE_MS = 500;
const GOAL_KIB = 0.3 * 1024;
type Mode = 'jovian' | 'sandbox' | 'raw';
const MODES: readonly Mode[] = ['jovian', 'sandbox', 'raw'];
interface Measure {
  /** KiB per plugin of RSS growth, after the first plugin. */
  perPlugin: number;
  /** KiB per plugin of RSS growth from none active, what is paid once included. */
  fromZero: number;
  /** KiB per plugin of Lua allocations, as the state counts them (not for jovian: in the worker). */
  lua?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function settledRss(): Promise<number> {
  await sleep(SETTLE_MS);
  for (let i = 0; i < 3; i++) gc!();
  return rssKiB('self');
}

async function measure(mode: Mode): Promise<Measure> {
  const plugins = Array.from({ length: N + 1 }, (_, i) => generatedPlugin(i));
  const closers: (() => unknown)[] = [];
  const folder = createLuaFolder('lua-memory', mode === 'jovian' ? plugins : []);
  try {
    let start: (i: number) => Promise<number | undefined>;
    if (mode === 'jovian') {
      const host = await startLuaHost(folder, createChatHooks());
      closers.push(() => host.stop());
      start = async (i) => {
        await host.activate(plugins[i]!.id);
        assertLua(host, plugins[i]!.id);
        return undefined;
      };
    } else {
      let factory: LuaFactory | undefined;
      start = async (i) => {
        factory ??= new LuaFactory();
        const plugin = plugins[i]!;
        if (mode === 'sandbox') {
          const sandbox = await loadedSandbox(factory, plugin.id, plugin.source);
          closers.push(() => sandbox.close());
          return sandbox.memoryUsed();
        }
        const engine = await rawEngine(factory, { traceAllocations: true });
        await engine.doString(plugin.source);
        closers.push(() => engine.global.close());
        return engine.global.getMemoryUsed();
      };
    }
    const zero = await settledRss();
    await start(0);
    const one = await settledRss();
    let lua = 0;
    for (let i = 1; i <= N; i++) lua += (await start(i)) ?? Number.NaN;
    const all = await settledRss();
    return {
      perPlugin: (all - one) / N,
      fromZero: (all - zero) / (N + 1),
      ...(mode === 'jovian' ? {} : { lua: lua / N / 1024 }),
    };
  } finally {
    for (const close of closers.reverse()) await close();
    folder.cleanup();
  }
}

const mode = process.argv[2] as Mode | undefined;
if (mode) {
  if (!gc) throw new Error('run with --expose-gc');
  // A measuring child: one mode, one JSON line.
  console.log(JSON.stringify(await measure(mode)));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = new Map<Mode, Measure[]>(MODES.map((m) => [m, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of round % 2 === 0 ? MODES : [...MODES].reverse()) {
      // execArgv carries tsx's loader when the case runs from its .ts source.
      const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self, m], {
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`${m} failed: ${child.stderr}`);
      const lines = child.stdout.trim().split('\n');
      results.get(m)!.push(JSON.parse(lines[lines.length - 1]!) as Measure);
    }
  }
  const pick = (m: Mode, key: keyof Measure) => median(results.get(m)!.map((r) => r[key] ?? Number.NaN));
  const JOVIAN = 'jovian Lua plugin (process RSS)';
  const SANDBOX = 'jovian sandbox, this thread (RSS)';
  const RAW = 'raw wasmoon engine (RSS)';
  const perPlugin: Record<string, number> = {
    [JOVIAN]: pick('jovian', 'perPlugin'),
    [SANDBOX]: pick('sandbox', 'perPlugin'),
    [RAW]: pick('raw', 'perPlugin'),
    'jovian sandbox, Lua allocations (memoryUsed)': pick('sandbox', 'lua'),
    'raw wasmoon, Lua allocations (getMemoryUsed)': pick('raw', 'lua'),
  };
  const goal = (subject: string) => ({
    subject,
    reference: `${GOAL_KIB} KiB (0.3 MiB)`,
    maxRatio: 1,
    ratio: perPlugin[subject]! / GOAL_KIB,
    met: perPlugin[subject]! <= GOAL_KIB,
  });
  record(
    {
      title: `memory per active Lua plugin, ${N} plugins after a first one (median of ${ROUNDS} fresh processes)`,
      medians: perPlugin,
      goals: [goal(JOVIAN)],
    },
    'KiB',
  );
  for (const name of [JOVIAN, SANDBOX])
    console.log(`  ratio ${name} / ${RAW} = ${(perPlugin[name]! / perPlugin[RAW]!).toFixed(2)}×`);
  console.log(
    `  = ${(perPlugin[JOVIAN]! / 1024).toFixed(3)} MiB per Jovian Lua plugin, ${(perPlugin[RAW]! / 1024).toFixed(3)} MiB per raw engine`,
  );
  const fromZero = {
    'jovian (incl. the Lua worker)': pick('jovian', 'fromZero'),
    'jovian sandbox, this thread': pick('sandbox', 'fromZero'),
    'raw wasmoon (incl. new LuaFactory())': pick('raw', 'fromZero'),
  };
  record(
    {
      title: `memory per Lua plugin from none active, what is paid once included (÷ ${N + 1})`,
      medians: fromZero,
      goals: [],
    },
    'KiB',
  );
}
