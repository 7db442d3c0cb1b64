import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  decodeJson,
  encodeJson,
  ndjsonTransport,
  type ProtocolMessage,
  RpcEndpoint,
} from '../../../src/runtimes/index.js';

type Calls = { echo(value: unknown): unknown; nothing(): undefined };

/** The host's end of a program: what the host writes goes to `toGuest`, what the program writes to `fromGuest`. */
function wire(maxLineBytes?: number) {
  const fromGuest = new PassThrough();
  const toGuest = new PassThrough();
  const written: string[] = [];
  toGuest.on('data', (chunk: Buffer) => written.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const problems: string[] = [];
  const transport = ndjsonTransport(fromGuest, toGuest, {
    maxLineBytes,
    onProtocolError: (error) => problems.push(`${error.code}: ${error.message}`),
  });
  const received: ProtocolMessage[] = [];
  transport.onMessage((message) => received.push(message));
  const closed = new Promise<string>((resolve) => transport.onClose(resolve));
  return { fromGuest, toGuest, transport, written, received, closed, problems };
}

/** Two endpoints over two crossed stream pairs: what one writes, the other reads. */
function endpoints() {
  const leftToRight = new PassThrough();
  const rightToLeft = new PassThrough();
  const left = ndjsonTransport(rightToLeft, leftToRight);
  const right = ndjsonTransport(leftToRight, rightToLeft);
  const caller = new RpcEndpoint<Calls, Calls>(left, { label: 'plugin `p`' });
  const callee = new RpcEndpoint<Calls, Calls>(right, { label: 'the host' });
  callee.serve({ echo: (value) => value, nothing: () => undefined });
  return { caller, callee, left, right };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ndjsonTransport', () => {
  describe('#send', () => {
    it('should write one JSON object per line, with bytes as base64', async () => {
      const { transport, written } = wire();
      transport.send({ id: 1, method: 'fs.writeFile', params: ['a.bin', new Uint8Array([104, 105])] });
      transport.send({ method: '$/cancel', params: [1] });
      await tick();
      expect(written).toEqual([
        '{"id":1,"method":"fs.writeFile","params":["a.bin",{"$bytes":"aGk="}]}',
        '{"method":"$/cancel","params":[1]}',
      ]);
    });

    it('should always write a result, null when the handler returned nothing', async () => {
      const { transport, written } = wire();
      transport.send({ id: 4, result: undefined });
      await tick();
      expect(written).toEqual(['{"id":4,"result":null}']);
    });

    it('should refuse what JSON cannot carry without closing the channel', async () => {
      const { transport, written } = wire();
      expect(() => transport.send({ id: 1, method: 'x', params: [new Map([['a', 1]])] })).toThrow(
        expect.objectContaining({
          code: 'JOVIAN_E_NOT_CLONEABLE',
          message: expect.stringContaining('a Map'),
        }),
      );
      expect(() => transport.send({ id: 2, method: 'x', params: [{ big: 10n }] })).toThrow(
        expect.objectContaining({
          code: 'JOVIAN_E_NOT_CLONEABLE',
          message: 'a bigint (at key `big`) cannot be sent as JSON',
        }),
      );
      transport.send({ id: 3, method: 'x', params: [] });
      await tick();
      expect(written).toEqual(['{"id":3,"method":"x","params":[]}']);
    });

    it('should refuse a message longer than the line limit', () => {
      const { transport } = wire(64);
      expect(() => transport.send({ id: 1, method: 'x', params: ['y'.repeat(100)] })).toThrow(
        expect.objectContaining({ code: 'JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE' }),
      );
    });
  });

  describe('reading', () => {
    it('should read messages split across chunks, several per chunk, with CRLF and blank lines', async () => {
      const { fromGuest, received, problems } = wire();
      fromGuest.write('{"id":1,"res');
      fromGuest.write('ult":{"$bytes":"AQI="}}\n\n{"method":"log","params":[]}\r\n{"id":2,');
      fromGuest.write('"result":null}\n');
      await tick();
      expect(received).toEqual([
        { id: 1, result: new Uint8Array([1, 2]) },
        { method: 'log', params: [] },
        { id: 2, result: null },
      ]);
      expect(problems).toEqual([]);
    });

    it('should close the channel on a line that is not JSON, naming the line', async () => {
      const { fromGuest, closed, problems, received } = wire();
      fromGuest.write('{"method":"log","params":[]}\nhello from print()\n{"id":1,"result":1}\n');
      expect(await closed).toBe('line 2 is not JSON: "hello from print()"');
      expect(problems).toEqual(['JOVIAN_E_PROTOCOL_ERROR: line 2 is not JSON: "hello from print()"']);
      expect(received).toHaveLength(1);
    });

    it('should close the channel on JSON that is not a message object', async () => {
      const { fromGuest, closed } = wire();
      fromGuest.write('[1,2]\n');
      expect(await closed).toContain('line 1 is not a protocol message (a JSON object)');
    });

    it('should fail a call answered with a malformed error, without throwing', async () => {
      const fromGuest = new PassThrough();
      const transport = ndjsonTransport(fromGuest, new PassThrough());
      const endpoint = new RpcEndpoint<Calls, Calls>(transport, { label: 'plugin `p`' });
      const pending = endpoint.call('echo', 1);
      fromGuest.write('{"id":1,"error":null}\n');
      await expect(pending).rejects.toMatchObject({
        code: 'JOVIAN_E_PROTOCOL_ERROR',
        message: 'malformed error in a response: null',
      });
      const second = endpoint.call('echo', 2);
      fromGuest.write('{"id":2,"error":{"code":"MY_E","message":"no","cause":null}}\n');
      await expect(second).rejects.toMatchObject({ code: 'MY_E', message: 'no' });
    });

    it('should refuse a line over the limit as soon as it passes it, without waiting for its end', async () => {
      const { fromGuest, closed, problems } = wire(64);
      fromGuest.write('{"id":1,"result":"');
      fromGuest.write('x'.repeat(100));
      expect(await closed).toBe('line 1 is longer than 64 bytes');
      expect(problems).toEqual(['JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE: line 1 is longer than 64 bytes']);
    });

    it('should close when the other end closes its output', async () => {
      const { fromGuest, closed } = wire();
      fromGuest.end();
      expect(await closed).toBe('the other end closed the stream');
    });

    it('should close its output when closed', async () => {
      const { transport, toGuest, closed } = wire();
      const ended = new Promise((resolve) => toGuest.once('finish', resolve));
      transport.close('stopped by the host');
      expect(await closed).toBe('stopped by the host');
      await ended;
    });
  });

  describe('with RpcEndpoint', () => {
    it('should carry calls, bytes, nested values and errors', async () => {
      const { caller } = endpoints();
      const value = { text: 'é😀', list: [1, null, true], bytes: new Uint8Array([0, 255]) };
      expect(await caller.call('echo', value)).toEqual(value);
      expect(await caller.call('nothing')).toBeNull();
      await expect(caller.request('missing', [])).rejects.toMatchObject({ code: 'JOVIAN_E_PROTOCOL_ERROR' });
    });

    it('should fail one call whose arguments JSON cannot carry, and keep the channel', async () => {
      const { caller } = endpoints();
      await expect(caller.call('echo', new Set([1]))).rejects.toMatchObject({
        code: 'JOVIAN_E_NOT_CLONEABLE',
      });
      expect(caller.closed).toBe(false);
      expect(await caller.call('echo', 'still here')).toBe('still here');
    });

    it('should answer a result JSON cannot carry with an error', async () => {
      const { caller } = endpoints();
      await expect(caller.call('echo', undefined)).resolves.toBeNull();
      const leftToRight = new PassThrough();
      const rightToLeft = new PassThrough();
      const callee = new RpcEndpoint<Calls, Calls>(ndjsonTransport(leftToRight, rightToLeft), { label: 'x' });
      callee.serve({ echo: () => new Map(), nothing: () => undefined });
      const other = new RpcEndpoint<Calls, Calls>(ndjsonTransport(rightToLeft, leftToRight), { label: 'y' });
      await expect(other.call('echo', 1)).rejects.toMatchObject({ code: 'JOVIAN_E_NOT_CLONEABLE' });
    });

    it('should answer $/ping', async () => {
      const { caller } = endpoints();
      expect(await caller.request('$/ping', [])).toEqual({});
    });
  });
});

describe('JSON codec', () => {
  it('should turn dates into ISO strings and non-finite numbers into null', () => {
    expect(encodeJson({ at: new Date(0), n: Number.NaN, list: [undefined], gone: undefined })).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","n":null,"list":[null]}',
    );
  });

  it('should carry any binary view as its bytes', () => {
    expect(encodeJson([Buffer.from('hi'), new Uint16Array([1]), new Uint8Array([1, 2, 3]).subarray(1)])).toBe(
      '[{"$bytes":"aGk="},{"$bytes":"AQA="},{"$bytes":"AgM="}]',
    );
  });

  it('should read $bytes only when it is the only key, and drop __proto__ keys', () => {
    const value = decodeJson(
      '{"a":{"$bytes":"AQ=="},"b":{"$bytes":"AQ==","x":1},"__proto__":{"polluted":true}}',
    ) as Record<string, unknown>;
    expect(value.a).toEqual(new Uint8Array([1]));
    expect(value.b).toEqual({ $bytes: 'AQ==', x: 1 });
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
