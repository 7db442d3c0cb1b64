/** Entry of a worker-thread plugin: the protocol over the worker's port. */
import { parentPort } from 'node:worker_threads';
import { runNodeGuest } from '../../rpc/node-guest.js';
import { workerGuestTransport } from '../../rpc/node-transports.js';

if (!parentPort) throw new Error('this module runs inside a Jovian worker');
await runNodeGuest(workerGuestTransport(parentPort), `node ${process.version} (worker)`);
