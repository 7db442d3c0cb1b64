/**
 * `jovian plugins list --json` over 1000 installed plugins vs `node -e 0` (the floor of any Node CLI),
 * each a fresh process, interleaved. Goal: ≤ 3× `node -e 0` with a warm manifest cache (the usual
 * case: the cache is kept in the data dir). The cold first run (every manifest parsed) is shown too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePlugins } from '../../lib/generate-plugins.js';
import { median, record } from '../../lib/harness.js';

const COUNT = 1000;
const RUNS = 15;
const root = mkdtempSync(join(tmpdir(), 'jovian-bench-list-'));
const plugins = generatePlugins(join(root, 'plugins'), COUNT);
const bin = join(process.cwd(), 'bin', 'jovian.js');

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const ns = Number(process.hrtime.bigint() - start);
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return ns;
}

const list = (dataDir: string) => [
  bin,
  '--plugins-dir',
  plugins,
  '--data-dir',
  dataDir,
  'plugins',
  'list',
  '--json',
];
const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  const fresh = join(root, `cold-${i}`);
  cold.push(time(list(fresh)));
}
const warmDir = join(root, 'warm');
time(list(warmDir));
const warm: number[] = [];
const floor: number[] = [];
for (let i = 0; i < RUNS; i++) {
  warm.push(time(list(warmDir)));
  floor.push(time(['-e', '0']));
}
const medians = {
  'jovian list (warm cache)': median(warm),
  'jovian list (cold, first run)': median(cold),
  'node -e 0': median(floor),
};
const ratio = medians['jovian list (warm cache)'] / medians['node -e 0'];
record(
  {
    title: `plugins list --json over ${COUNT} plugins (fresh process each run)`,
    medians,
    goals: [
      { subject: 'jovian list (warm cache)', reference: 'node -e 0', maxRatio: 3, ratio, met: ratio <= 3 },
    ],
  },
  'ms/op',
);
console.log(
  `  cold / node -e 0 = ${(medians['jovian list (cold, first run)'] / medians['node -e 0']).toFixed(2)}×`,
);
rmSync(root, { recursive: true, force: true });
