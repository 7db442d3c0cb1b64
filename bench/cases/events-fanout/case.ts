/**
 * Event fan-out to 10 subscribers: Jovian's EventBus (asynchronous delivery through a bounded queue per
 * subscriber, wildcard topics, error isolation) vs Node's EventEmitter (synchronous, no isolation, no
 * bounds). Both sides are awaited the same way so the harness overhead is equal. No goal is set: the
 * ratio shows what the guarantees cost.
 */
import { EventEmitter } from 'node:events';
import { EventBus } from '../../../src/events/index.js';
import { compare } from '../../lib/harness.js';

const SUBSCRIBERS = 10;
const bus = new EventBus();
const emitter = new EventEmitter();
emitter.setMaxListeners(100);
let received = 0;
for (let i = 0; i < SUBSCRIBERS; i++) {
  bus.subscribe(i % 2 === 0 ? 'chat.message' : 'chat.*', () => {
    received++;
  });
  emitter.on('chat.message', () => {
    received++;
  });
}
const payload = { content: 'hello' };

await compare({
  title: `one event to ${SUBSCRIBERS} subscribers, delivered`,
  async: true,
  reference: 'EventEmitter',
  subjects: [
    {
      name: 'jovian',
      run: () => {
        bus.emit('chat.message', payload);
        return bus.flush();
      },
    },
    {
      name: 'EventEmitter',
      run: () => {
        emitter.emit('chat.message', payload);
        return Promise.resolve();
      },
    },
  ],
});

const BATCH = 1000;
await compare({
  title: `${BATCH} events to ${SUBSCRIBERS} subscribers, delivered (per batch)`,
  async: true,
  unit: 'µs/op',
  reference: 'EventEmitter',
  subjects: [
    {
      name: 'jovian',
      run: () => {
        for (let i = 0; i < BATCH; i++) bus.emit('chat.message', payload);
        return bus.flush();
      },
    },
    {
      name: 'EventEmitter',
      run: () => {
        for (let i = 0; i < BATCH; i++) emitter.emit('chat.message', payload);
        return Promise.resolve();
      },
    },
  ],
});
if (received === 0) throw new Error('nothing was delivered');
