import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { JovianError } from '../../../src/errors.js';
import {
  APP_PROTOCOL_VERSION,
  awaitHello,
  CORE_PROTOCOL_VERSION,
  createMemoryTransportPair,
  PROTOCOL_MAGIC,
  RpcEndpoint,
  sayHello,
  type Welcome,
} from '../../../src/runtimes/index.js';
import { portTransport } from '../../../src/runtimes/rpc/node-transports.js';

type HostSide = {
  add(a: number, b: number): number;
  fail(): never;
  slow(ms: number): string;
  echo(value: unknown): unknown;
};
type GuestSide = { greet(name: string): string };

function pair() {
  const [a, b] = createMemoryTransportPair();
  const host = new RpcEndpoint<HostSide, GuestSide>(a, { label: 'guest `g`' });
  const guest = new RpcEndpoint<GuestSide, HostSide>(b, { label: 'the host' });
  return { host, guest, a, b };
}

const welcome: Welcome = {
  core: CORE_PROTOCOL_VERSION,
  app: APP_PROTOCOL_VERSION,
  capabilities: ['cancel'],
  plugin: { id: 'g', version: '1.0.0', paths: { data: '/d', plugin: '/p', project: '/w' } },
};

describe('RpcEndpoint', () => {
  it('should call in both directions with positional arguments', async () => {
    const { host, guest } = pair();
    host.serve({ add: (a, b) => a + b });
    guest.serve({ greet: (name) => `hello ${name}` });
    expect(await guest.call('add', 2, 3)).toBe(5);
    expect(await host.call('greet', 'ada')).toBe('hello ada');
  });

  it('should file what a guest sends while serving a call with the work that made the call', async () => {
    // A real MessagePort: a message arrives in the port's own async context, not the sender's.
    const { port1, port2 } = new MessageChannel();
    const [a, b] = [portTransport(port1), portTransport(port2)];
    const host = new RpcEndpoint<HostSide, GuestSide>(a, { label: 'guest `g`', followCause: ['greet'] });
    const guest = new RpcEndpoint<GuestSide, HostSide>(b, { label: 'the host', tagCause: ['greet'] });
    const exchange = new AsyncLocalStorage<string>();
    const filed: string[] = [];
    host.onNotification('log', ([line]) => filed.push(`${exchange.getStore()}: ${line}`));
    guest.serve({
      greet: async (name) => {
        await sleep(name === 'first' ? 30 : 5); // the first call's log arrives last
        guest.notify('log', `greeting ${name}`);
        return name;
      },
    });
    await Promise.all([
      exchange.run('exchange 1', () => host.call('greet', 'first')),
      exchange.run('exchange 2', () => host.call('greet', 'second')),
    ]);
    guest.notify('log', 'outside any call');
    await sleep(5);
    host.close();
    guest.close();
    expect(filed).toEqual([
      'exchange 2: greeting second',
      'exchange 1: greeting first',
      'undefined: outside any call',
    ]);
  });

  it('should carry values as a structured clone (Map, Set, Date, bytes)', async () => {
    const { host, guest } = pair();
    host.serve({ echo: (value) => value });
    const value = {
      map: new Map([['a', 1]]),
      set: new Set([2]),
      when: new Date(0),
      bytes: new Uint8Array([1, 2]),
    };
    expect(await guest.call('echo', value)).toEqual(value);
  });

  it('should bring an error back as a JovianError with its code, hint and cause', async () => {
    const { host, guest } = pair();
    host.serve({
      fail: () => {
        throw new JovianError('JOVIAN_E_PERMISSION_DENIED', 'no', {
          hint: 'add it',
          cause: new Error('inner'),
        });
      },
    });
    const error = (await guest.call('fail').catch((e: unknown) => e)) as JovianError;
    expect(error).toBeInstanceOf(JovianError);
    expect(error).toMatchObject({ code: 'JOVIAN_E_PERMISSION_DENIED', message: 'no', hint: 'add it' });
    expect((error.cause as Error).message).toBe('inner');
  });

  it('should refuse an unknown method with a protocol error', async () => {
    const { host, guest } = pair();
    host.serve({ echo: (value) => value });
    await expect(guest.call('add', 1, 2)).rejects.toMatchObject({
      code: 'JOVIAN_E_PROTOCOL_ERROR',
      message: 'guest `g`: unknown method `add`',
    });
  });

  it('should fail a call that misses its deadline, tell the other end, and report the callee unresponsive', async () => {
    const [a, b] = createMemoryTransportPair();
    const unresponsive: string[] = [];
    const host = new RpcEndpoint<HostSide, GuestSide>(a, { label: 'guest' });
    const guest = new RpcEndpoint<GuestSide, HostSide>(b, {
      label: 'the host',
      defaultDeadlineMs: 30,
      onUnresponsive: (method) => unresponsive.push(method),
    });
    let aborted = false;
    host.serveProtocol('slow', (_params, call) => {
      call.signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => undefined);
    });
    await expect(guest.request('slow', [])).rejects.toMatchObject({
      code: 'JOVIAN_E_CALL_TIMEOUT',
      message: 'the host: slow() did not finish within 30 ms',
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(aborted).toBe(true);
    expect(unresponsive).toEqual(['slow']);
    expect(host.closed).toBe(false);
  });

  it('should cancel a call with an AbortSignal, never reporting it as a failure', async () => {
    const { host, guest } = pair();
    host.serveProtocol('forever', () => new Promise(() => undefined));
    const controller = new AbortController();
    const call = guest.request('forever', [], { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'JOVIAN_E_CANCELLED' });
  });

  it('should fail every pending call when the channel closes, and refuse new ones', async () => {
    const { host, guest } = pair();
    host.serveProtocol('forever', () => new Promise(() => undefined));
    const pending = guest.request('forever', []);
    const reasons: string[] = [];
    guest.onClose((reason) => reasons.push(reason));
    host.close('plugin crashed');
    await expect(pending).rejects.toMatchObject({ code: 'JOVIAN_E_RUNTIME_CLOSED' });
    expect(reasons).toEqual(['the other end closed the channel']);
    await expect(guest.call('add', 1, 1)).rejects.toMatchObject({ code: 'JOVIAN_E_RUNTIME_CLOSED' });
  });

  it('should deliver notifications to their listener', async () => {
    const { host, guest } = pair();
    const got: unknown[] = [];
    host.onNotification('log.line', (params) => got.push(params));
    guest.notify('log.line', 'info', 'hi');
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(got).toEqual([['info', 'hi']]);
  });
});

describe('handshake', () => {
  it('should accept a guest that speaks this protocol and send it the welcome', async () => {
    const { host, guest } = pair();
    const hello = awaitHello(host as never, welcome, 1000, 'plugin `g`');
    expect(await sayHello(guest as never, ['cancel'], 'node')).toEqual(welcome);
    expect(await hello).toMatchObject({ magic: PROTOCOL_MAGIC, runtime: 'node' });
  });

  it('should refuse a wrong magic value or version, telling both ends why', async () => {
    const { host, guest } = pair();
    const accepted = awaitHello(host as never, welcome, 1000, 'plugin `g`');
    const answer = guest.request('$/hello', [{ magic: 'hello?', core: 1, app: 1, capabilities: [] }]);
    await expect(answer).rejects.toMatchObject({ code: 'JOVIAN_E_PROTOCOL_MISMATCH' });
    await expect(accepted).rejects.toMatchObject({
      code: 'JOVIAN_E_PROTOCOL_MISMATCH',
      message: 'plugin `g`: $/hello has the wrong magic value "hello?"',
    });

    const second = pair();
    const refused = awaitHello(second.host as never, welcome, 1000, 'plugin `g`');
    void second.guest
      .request('$/hello', [{ magic: PROTOCOL_MAGIC, core: 99, app: 1, capabilities: [] }])
      .catch(() => undefined);
    await expect(refused).rejects.toMatchObject({
      message: 'plugin `g`: it speaks core protocol 99, this host speaks 1',
    });
  });

  it('should give up on a guest that never says hello', async () => {
    const { host } = pair();
    await expect(awaitHello(host as never, welcome, 30, 'plugin `g`')).rejects.toMatchObject({
      code: 'JOVIAN_E_ACTIVATION_TIMEOUT',
    });
  });
});
