/**
 * Heap kept per installed-but-inactive plugin: a host loads (discovers and resolves) 1000 realistic
 * plugins, and the retained heap after a full GC is divided by their number. Goal: ≤ 20 KB each.
 * Run with --expose-gc (`npm run bench` does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChatHooks, createHost } from '../../../src/index.js';
import { generatePlugins } from '../../lib/generate-plugins.js';
import { record } from '../../lib/harness.js';

const COUNT = 1000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const root = mkdtempSync(join(tmpdir(), 'jovian-bench-heap-'));
const plugins = generatePlugins(join(root, 'plugins'), COUNT);

async function retainedWith(count: number): Promise<number> {
  const dir = count === COUNT ? plugins : generatePlugins(join(root, `plugins-${count}`), count);
  const host = createHost({
    hooks: createChatHooks(),
    pluginDirs: [dir],
    dataDir: join(root, `data-${count}`),
    manifestCache: false,
  });
  await host.load();
  for (let i = 0; i < 3; i++) gc!();
  const used = process.memoryUsage().heapUsed;
  if (host.records().length < count) throw new Error('plugins missing');
  return used;
}

// The difference between 1000 and 10 plugins isolates the per-plugin cost from the host's own.
for (let i = 0; i < 3; i++) gc();
const small = await retainedWith(10);
const large = await retainedWith(COUNT);
const perPlugin = (large - small) / (COUNT - 10);
const kib = perPlugin / 1024;
record(
  {
    title: 'heap retained per installed, inactive plugin (after load, full GC)',
    medians: { 'per inactive plugin': kib, goal: 20 },
    goals: [
      {
        subject: 'per inactive plugin',
        reference: 'goal',
        maxRatio: 1,
        ratio: kib / 20,
        met: kib <= 20,
      },
    ],
  },
  'KiB',
);
console.log(`  = ${kib.toFixed(1)} KiB per plugin (${COUNT} plugins)`);
rmSync(root, { recursive: true, force: true });
