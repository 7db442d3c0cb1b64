/**
 * Many calls in flight to one worker plugin: 10 000 `host.run()` calls with at most 256 outstanding
 * (a new call starts as each one ends), vs a raw MessagePort echo worker driven the same way (one
 * postMessage per message, as Jovian's transport posts today), then the same with all 10 000 posted at
 * once. The plugin's RPC endpoint alone is shown as well, and a raw peer that coalesces the messages
 * of one tick into one post (the ceiling of a batching transport; no goal is set against it). Goal:
 * ≥ 0.8× the per-message raw throughput (time ≤ 1.25×); seed target: more than 10 000 calls/s.
 */
import { type ComparisonResult, compare } from '../../lib/harness.js';
import { smallObject, startEchoPlugin, startRawWorker, windowed } from '../../lib/isolated.js';

const CALLS = 10_000;
const WINDOW = 256;
const { folder, host, guest } = await startEchoPlugin('rpc-worker-tput', 'worker');
const raw = startRawWorker(folder.rawWorkerFile);
const coalesced = startRawWorker(folder.rawWorkerFile, { coalesce: true });
await Promise.all([raw.ready, coalesced.ready]);
const input = smallObject(1);

function report(result: ComparisonResult): void {
  for (const [name, ns] of Object.entries(result.medians))
    console.log(`  ${name}: ${Math.round(CALLS / (ns / 1e9)).toLocaleString('en')} calls/s`);
  const jovian = CALLS / (result.medians['jovian host.run()']! / 1e9);
  const rawRate = CALLS / (result.medians['raw MessagePort echo']! / 1e9);
  console.log(
    `  throughput jovian / raw = ${(jovian / rawRate).toFixed(2)}× (goal ≥ 0.8×) — ${jovian / rawRate >= 0.8 ? 'met' : 'MISS'}`,
  );
  console.log(
    `  seed target: > 10 000 calls/s — ${jovian > 10_000 ? 'met' : 'MISS'} (${Math.round(jovian).toLocaleString('en')}/s)`,
  );
}

for (const window of [WINDOW, CALLS]) {
  const label = window === CALLS ? 'all at once' : `window ${window}`;
  const result = await compare({
    title: `${CALLS.toLocaleString('en')} calls to a worker, ${label} (time per batch)`,
    async: true,
    unit: 'ms/op',
    opsPerSample: 1,
    samples: 9,
    reference: 'raw MessagePort echo',
    subjects: [
      { name: 'jovian host.run()', run: () => windowed(CALLS, window, () => host.run('echo', input)) },
      {
        name: 'jovian RpcEndpoint only',
        run: () => windowed(CALLS, window, () => guest.call('run', input as never)),
      },
      { name: 'raw MessagePort echo', run: () => windowed(CALLS, window, () => raw.roundTrip(input)) },
      {
        name: 'raw, coalesced per tick',
        run: () => windowed(CALLS, window, () => coalesced.roundTrip(input)),
      },
    ],
    goals: [{ subject: 'jovian host.run()', reference: 'raw MessagePort echo', maxRatio: 1.25 }],
  });
  report(result);
}

await Promise.all([raw.close(), coalesced.close()]);
await host.stop();
folder.cleanup();
