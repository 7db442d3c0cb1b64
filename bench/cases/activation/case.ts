/**
 * Start-up of an isolated plugin: `host.activate(id)` until it resolves (worker or child started,
 * handshake, plugin module imported, activate() answered) vs the raw mechanism until its first message
 * — `new Worker(file)` and `fork(file)` (advanced serialization) of a script that posts once. Rounds
 * alternate Jovian and raw; each plugin is deactivated (and each raw peer ended) between rounds, outside
 * the timing. The host's own record of each activation (load vs activate()) is shown too. Goal: ≤ 1.2×
 * raw; seed target: a plugin loads in under 100 ms.
 */
import { median, record } from '../../lib/harness.js';
import {
  assertRuntime,
  createBenchFolder,
  startBenchHost,
  startRawChild,
  startRawWorker,
} from '../../lib/isolated.js';

const ROUNDS = 21;
const plugins = [
  { id: 'w1', runtime: 'worker', code: 'export default { activate() {}, run: (input) => input };\n' },
  { id: 'p1', runtime: 'process', code: 'export default { activate() {}, run: (input) => input };\n' },
] as const;
const folder = createBenchFolder('activation', plugins);
const host = await startBenchHost(folder, plugins);

const ns = (start: bigint) => Number(process.hrtime.bigint() - start);

async function jovian(id: string, split: { load: number[]; activate: number[] }): Promise<number> {
  const start = process.hrtime.bigint();
  await host.activate(id);
  const elapsed = ns(start);
  assertRuntime(host, id, id === 'w1' ? 'worker' : 'process');
  const outcome = host.record(id)?.outcome;
  split.load.push((outcome?.loadMs ?? Number.NaN) * 1e6);
  split.activate.push((outcome?.activateMs ?? Number.NaN) * 1e6);
  await host.deactivate(id);
  return elapsed;
}

async function rawWorker(): Promise<number> {
  const start = process.hrtime.bigint();
  const peer = startRawWorker(folder.rawWorkerFile);
  await peer.ready;
  const elapsed = ns(start);
  await peer.close();
  return elapsed;
}

async function rawChild(): Promise<number> {
  const start = process.hrtime.bigint();
  const peer = startRawChild(folder.rawChildFile);
  await peer.ready;
  const elapsed = ns(start);
  await peer.close();
  return elapsed;
}

for (const [runtime, id, raw, rawName] of [
  ['worker', 'w1', rawWorker, 'raw new Worker() to first message'],
  ['process', 'p1', rawChild, 'raw fork() to first message'],
] as const) {
  const split = { load: [] as number[], activate: [] as number[] };
  // Warm-up: the first start of each kind pays for loading code in the host.
  await jovian(id, { load: [], activate: [] });
  await raw();
  const jovianTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      jovianTimes.push(await jovian(id, split));
      rawTimes.push(await raw());
    } else {
      rawTimes.push(await raw());
      jovianTimes.push(await jovian(id, split));
    }
  }
  const name = `jovian activate() (${runtime})`;
  const medians = {
    [name]: median(jovianTimes),
    [rawName]: median(rawTimes),
    '  of which: load (start + handshake)': median(split.load),
    '  of which: activate() call': median(split.activate),
  };
  const ratio = medians[name]! / medians[rawName]!;
  record(
    {
      title: `start-up of a ${runtime} plugin, median of ${ROUNDS} rounds`,
      medians,
      goals: [{ subject: name, reference: rawName, maxRatio: 1.2, ratio, met: ratio <= 1.2 }],
    },
    'ms/op',
  );
  const ms = medians[name]! / 1e6;
  console.log(`  seed target: load < 100 ms — ${ms < 100 ? 'met' : 'MISS'} (${ms.toFixed(1)} ms)`);
}

await host.stop();
folder.cleanup();
