/** Entry of a child-process plugin: the protocol over Node's IPC channel. */

import { runNodeGuest } from '../../rpc/node-guest.js';
import { childGuestTransport } from '../../rpc/node-transports.js';
import { GUEST_EXIT_CODES } from '../../rpc/protocol.js';

if (!process.send) {
  process.stderr.write('this module runs as a Jovian plugin process (it needs an IPC channel)\n');
  process.exit(GUEST_EXIT_CODES.protocolError);
}
const endpoint = await runNodeGuest(childGuestTransport(process), `node ${process.version} (process)`);
endpoint.onClose(() => process.exit(GUEST_EXIT_CODES.normal));
process.on('uncaughtException', (error) => {
  process.stderr.write(`uncaught exception: ${error.stack ?? error.message}\n`);
  process.exit(GUEST_EXIT_CODES.uncaught);
});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
  process.exit(GUEST_EXIT_CODES.uncaught);
});
