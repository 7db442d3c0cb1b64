/**
 * A synchronous waterfall through 10 taps: Jovian's SyncSeriesWaterfallHook (with tap isolation) vs
 * tapable's SyncWaterfallHook (code generated with `new Function`) vs a plain loop. Goal: ≤ 2× tapable.
 */
import tapable from 'tapable';
import { SyncSeriesWaterfallHook } from '../../../src/hooks/index.js';
import { compare } from '../../lib/harness.js';

const TAPS = 10;
const jovian = new SyncSeriesWaterfallHook<number>({ name: 'bench' });
const peer = new tapable.SyncWaterfallHook<[number]>(['value']);
const plain: ((value: number) => number)[] = [];
for (let i = 0; i < TAPS; i++) {
  jovian.tap(`tap${i}`, (value) => value + 1);
  peer.tap(`tap${i}`, (value: number) => value + 1);
  plain.push((value) => value + 1);
}
function plainLoop(value: number): number {
  let v = value;
  for (let i = 0; i < plain.length; i++) {
    const result = plain[i]!(v);
    if (result !== undefined) v = result;
  }
  return v;
}

let seed = 0;
await compare({
  title: `sync waterfall, ${TAPS} taps`,
  subjects: [
    { name: 'jovian', run: () => jovian.call(seed++) },
    { name: 'tapable', run: () => peer.call(seed++) },
    { name: 'plain loop', run: () => plainLoop(seed++) },
  ],
  goals: [{ subject: 'jovian', reference: 'tapable', maxRatio: 2 }],
});
