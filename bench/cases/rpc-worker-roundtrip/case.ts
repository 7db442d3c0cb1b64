/**
 * One call into a worker plugin, a small object in and a small object out: `host.run('echo', input)`
 * vs a raw MessagePort ping-pong with a bare worker carrying the same object. The plugin's RPC
 * endpoint alone (`guest.call('run')`, what run() wraps) is shown as well, to tell the protocol's cost
 * from the host's. Goal: ≤ 1.3× raw; seed target: a round trip under 1 ms.
 */
import { compare } from '../../lib/harness.js';
import { smallObject, startEchoPlugin, startRawWorker } from '../../lib/isolated.js';

const { folder, host, guest } = await startEchoPlugin('rpc-worker', 'worker');
const raw = startRawWorker(folder.rawWorkerFile);
await raw.ready;

const input = smallObject(1);
const check = (await host.run('echo', input)) as typeof input;
if (check.text !== input.text || (await raw.roundTrip(input)).text !== input.text) throw new Error('no echo');

const result = await compare({
  title: 'one round trip to a worker, small object in and out',
  async: true,
  unit: 'µs/op',
  samples: 31,
  reference: 'raw MessagePort ping-pong',
  subjects: [
    { name: 'jovian host.run()', run: () => host.run('echo', input) },
    { name: 'jovian RpcEndpoint only', run: () => guest.call('run', input as never) },
    { name: 'raw MessagePort ping-pong', run: () => raw.roundTrip(input) },
  ],
  goals: [{ subject: 'jovian host.run()', reference: 'raw MessagePort ping-pong', maxRatio: 1.3 }],
});
const us = result.medians['jovian host.run()']! / 1e3;
console.log(`  seed target: IPC round trip < 1000 µs — ${us < 1000 ? 'met' : 'MISS'} (${us.toFixed(1)} µs)`);

await raw.close();
await host.stop();
folder.cleanup();
