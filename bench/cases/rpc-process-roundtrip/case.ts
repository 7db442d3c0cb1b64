/**
 * One call into a child-process plugin, a small object in and a small object out:
 * `host.run('echo', input)` vs a raw `fork()` (`serialization: 'advanced'`, the same IPC Jovian uses)
 * echoing the same object. The plugin's RPC endpoint alone is shown as well. Goal: ≤ 1.3× raw; seed
 * target: a round trip under 1 ms.
 */
import { compare } from '../../lib/harness.js';
import { smallObject, startEchoPlugin, startRawChild } from '../../lib/isolated.js';

const { folder, host, guest } = await startEchoPlugin('rpc-process', 'process');
const raw = startRawChild(folder.rawChildFile);
await raw.ready;

const input = smallObject(1);
const check = (await host.run('echo', input)) as typeof input;
if (check.text !== input.text || (await raw.roundTrip(input)).text !== input.text) throw new Error('no echo');

const result = await compare({
  title: 'one round trip to a child process, small object in and out',
  async: true,
  unit: 'µs/op',
  samples: 31,
  reference: 'raw fork() IPC ping-pong',
  subjects: [
    { name: 'jovian host.run()', run: () => host.run('echo', input) },
    { name: 'jovian RpcEndpoint only', run: () => guest.call('run', input as never) },
    { name: 'raw fork() IPC ping-pong', run: () => raw.roundTrip(input) },
  ],
  goals: [{ subject: 'jovian host.run()', reference: 'raw fork() IPC ping-pong', maxRatio: 1.3 }],
});
const us = result.medians['jovian host.run()']! / 1e3;
console.log(`  seed target: IPC round trip < 1000 µs — ${us < 1000 ? 'met' : 'MISS'} (${us.toFixed(1)} µs)`);

await raw.close();
await host.stop();
folder.cleanup();
