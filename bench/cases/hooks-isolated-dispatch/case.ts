/**
 * An AsyncSeriesWaterfallHook call dispatched to 10 worker plugins, each tapping it (`v => v + 1`),
 * per call, vs 10 raw MessagePort round trips in series, one to each of 10 bare workers, carrying the
 * same value. The floor is what any isolation has to pay; the ratio shows the cost of Jovian's taps
 * (deadline per tap, tap isolation, the RPC protocol) on top of it. No goal is fixed.
 */
import { AsyncSeriesWaterfallHook } from '../../../src/index.js';
import { compare } from '../../lib/harness.js';
import {
  assertRuntime,
  createBenchFolder,
  type IsolatedPlugin,
  startBenchHost,
  startRawWorker,
} from '../../lib/isolated.js';

const PLUGINS = 10;
const ids = Array.from({ length: PLUGINS }, (_, i) => `tap_${i}`);
const TAP = `export default {
  async activate(ctx) { await ctx.hooks.tap('waterfall', async (value) => value + 1); },
};
`;
const plugins = ids.map((id) => ({
  id,
  runtime: 'worker',
  code: TAP,
  hooks: ['waterfall'],
})) satisfies IsolatedPlugin[];
const folder = createBenchFolder('hooks-isolated', plugins);
const hooks = { waterfall: new AsyncSeriesWaterfallHook<number>({ name: 'waterfall' }) };
const host = await startBenchHost(folder, plugins, hooks);
for (const id of ids) {
  await host.activate(id);
  assertRuntime(host, id, 'worker');
}
const raws = ids.map(() => startRawWorker(folder.rawWorkerFile));
await Promise.all(raws.map((raw) => raw.ready));

async function rawSeries(value: number): Promise<number> {
  let v = value;
  for (const raw of raws) v = (await raw.roundTrip(v)) + 1;
  return v;
}

if ((await hooks.waterfall.call(0)) !== PLUGINS || (await rawSeries(0)) !== PLUGINS)
  throw new Error('not every tap ran');

await compare({
  title: `async series waterfall through ${PLUGINS} worker plugins (per call)`,
  async: true,
  unit: 'µs/op',
  samples: 15,
  reference: `raw: ${PLUGINS} MessagePort round trips in series`,
  subjects: [
    { name: 'jovian hook.call()', run: () => hooks.waterfall.call(0) },
    { name: `raw: ${PLUGINS} MessagePort round trips in series`, run: () => rawSeries(0) },
  ],
});

await Promise.all(raws.map((raw) => raw.close()));
await host.stop();
folder.cleanup();
