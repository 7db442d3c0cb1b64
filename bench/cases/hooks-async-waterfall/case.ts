/**
 * An asynchronous series waterfall through 10 async taps: Jovian's AsyncSeriesWaterfallHook (with a
 * deadline on every tap and tap isolation) vs tapable's AsyncSeriesWaterfallHook (tapPromise) vs a
 * plain loop of awaits (no deadline, no isolation). Goal: ≤ 1× tapable.
 */
import tapable from 'tapable';
import { AsyncSeriesWaterfallHook } from '../../../src/hooks/index.js';
import { compare } from '../../lib/harness.js';

const TAPS = 10;
const jovian = new AsyncSeriesWaterfallHook<number>({ name: 'bench' });
const peer = new tapable.AsyncSeriesWaterfallHook<[number]>(['value']);
const plain: ((value: number) => Promise<number>)[] = [];
for (let i = 0; i < TAPS; i++) {
  jovian.tap(`tap${i}`, async (value) => value + 1);
  peer.tapPromise(`tap${i}`, async (value: number) => value + 1);
  plain.push(async (value) => value + 1);
}
async function plainLoop(value: number): Promise<number> {
  let v = value;
  for (let i = 0; i < plain.length; i++) {
    const result = await plain[i]!(v);
    if (result !== undefined) v = result;
  }
  return v;
}

let seed = 0;
await compare({
  title: `async series waterfall, ${TAPS} async taps`,
  async: true,
  subjects: [
    { name: 'jovian', run: () => jovian.call(seed++) },
    { name: 'tapable', run: () => peer.promise(seed++) },
    { name: 'plain loop of awaits', run: () => plainLoop(seed++) },
  ],
  goals: [{ subject: 'jovian', reference: 'tapable', maxRatio: 1 }],
});
