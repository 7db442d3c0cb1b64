/**
 * Entry of the shared Lua worker: each Lua plugin arrives with a MessagePort of its own and gets its
 * own Lua state from one factory (one WebAssembly module for all of them).
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import { portTransport } from '../../rpc/node-transports.js';
import { runLuaGuest } from './lua-guest.js';
import { createLuaFactory } from './lua-sandbox.js';

if (!parentPort) throw new Error('this module runs inside the Jovian Lua worker');
const factory = createLuaFactory();
parentPort.on('message', (message: { type: string; port: MessagePort }) => {
  if (message.type !== 'plugin') return;
  void runLuaGuest(portTransport(message.port, 'the host closed the channel'), factory);
});
