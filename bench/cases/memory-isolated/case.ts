/**
 * Memory per active isolated plugin vs the bare mechanism, each measured in a fresh Node process (a
 * process that has ended workers does not give their memory back, so one measurement would skew the
 * next). Worker: the host's RSS growth over N active worker plugins vs N bare workers, after one of
 * each has started (what is paid once is left out). Process: the children's own memory, summed over
 * /proc/<pid>/status VmRSS and smaps_rollup's private pages, for N process plugins vs N bare forked
 * children. Rounds alternate Jovian and raw; medians are printed in KiB per unit, with their ratio. No
 * goal is fixed (BASELINES.md expects ~8 MiB per worker, ~7.2 MiB private per forked Node child).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, record } from '../../lib/harness.js';
import {
  assertRuntime,
  childPids,
  createBenchFolder,
  type IsolatedPlugin,
  rssKiB,
  sleep,
  startBenchHost,
  startRawChild,
  startRawWorker,
} from '../../lib/isolated.js';

const N = 10;
const ROUNDS = 3;
const SETTLE_MS = 500;
type Mode = 'jovian-worker' | 'raw-worker' | 'jovian-process' | 'raw-process';
interface Measure {
  /** KiB per unit: host RSS growth (worker) or the child's VmRSS (process). */
  rss: number;
  /** KiB per unit: private pages of the child (process only). */
  priv?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function privateKiB(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    let sum = 0;
    for (const match of text.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+)\s+kB/gm)) sum += Number(match[1]);
    return sum;
  } catch {
    return Number.NaN;
  }
}

async function settled(): Promise<void> {
  await sleep(SETTLE_MS);
  for (let i = 0; i < 3; i++) gc!();
}

async function measure(mode: Mode): Promise<Measure> {
  const runtime = mode.endsWith('worker') ? 'worker' : 'process';
  const ids = Array.from({ length: N + 1 }, (_, i) => `${runtime}_${i}`);
  const plugins = ids.map((id) => ({
    id,
    runtime,
    code: 'export default { activate() {}, run: (input) => input };\n',
  })) satisfies IsolatedPlugin[];
  const folder = createBenchFolder('memory', plugins);
  const stops: (() => Promise<void>)[] = [];
  try {
    let start: (i: number) => Promise<void>;
    if (mode.startsWith('jovian')) {
      const host = await startBenchHost(folder, plugins);
      stops.push(() => host.stop());
      start = async (i) => {
        await host.activate(ids[i]!);
        assertRuntime(host, ids[i]!, runtime);
      };
    } else {
      start = async () => {
        const peer =
          runtime === 'worker' ? startRawWorker(folder.rawWorkerFile) : startRawChild(folder.rawChildFile);
        stops.push(() => peer.close());
        await peer.ready;
      };
    }
    // The first unit pays for what is loaded once (the runtime's code in the host, the Worker machinery).
    await start(0);
    await settled();
    const before = rssKiB('self');
    for (let i = 1; i <= N; i++) await start(i);
    await settled();
    if (runtime === 'worker') return { rss: (rssKiB('self') - before) / N };
    const pids = childPids();
    if (pids.length !== N + 1) throw new Error(`expected ${N + 1} children, found ${pids.length}`);
    const rss = pids.reduce((sum, pid) => sum + rssKiB(pid), 0) / pids.length;
    const priv = pids.reduce((sum, pid) => sum + privateKiB(pid), 0) / pids.length;
    return { rss, priv };
  } finally {
    for (const stop of stops.reverse()) await stop();
    folder.cleanup();
  }
}

const mode = process.argv[2] as Mode | undefined;
if (mode) {
  // A measuring child: one mode, one JSON line.
  console.log(JSON.stringify(await measure(mode)));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = new Map<Mode, Measure[]>();
  const run = (m: Mode) => {
    const child = spawnSync(process.execPath, ['--expose-gc', self, m], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`${m} failed: ${child.stderr}`);
    const lines = child.stdout.trim().split('\n');
    const list = results.get(m) ?? [];
    list.push(JSON.parse(lines[lines.length - 1]!) as Measure);
    results.set(m, list);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const order: Mode[] = ['jovian-worker', 'raw-worker', 'jovian-process', 'raw-process'];
    for (const m of round % 2 === 0 ? order : [...order].reverse()) run(m);
  }
  const pick = (m: Mode, key: keyof Measure) => median(results.get(m)!.map((r) => r[key] ?? Number.NaN));
  const show = (title: string, medians: Record<string, number>, a: string, b: string) => {
    record({ title, medians, goals: [] }, 'KiB');
    console.log(`  ratio ${a} / ${b} = ${(medians[a]! / medians[b]!).toFixed(2)}×`);
  };
  show(
    `memory per active worker plugin: host RSS growth over ${N} (median of ${ROUNDS} fresh processes)`,
    { 'jovian worker plugin': pick('jovian-worker', 'rss'), 'bare worker': pick('raw-worker', 'rss') },
    'jovian worker plugin',
    'bare worker',
  );
  show(
    `memory per active process plugin: the child's VmRSS (median of ${ROUNDS} fresh processes)`,
    {
      'jovian process plugin': pick('jovian-process', 'rss'),
      'bare forked child': pick('raw-process', 'rss'),
    },
    'jovian process plugin',
    'bare forked child',
  );
  show(
    `memory per active process plugin: the child's private pages (smaps_rollup)`,
    {
      'jovian process plugin (private)': pick('jovian-process', 'priv'),
      'bare forked child (private)': pick('raw-process', 'priv'),
    },
    'jovian process plugin (private)',
    'bare forked child (private)',
  );
}
