import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  AsyncParallelBailHook,
  AsyncParallelHook,
  AsyncSeriesBailHook,
  AsyncSeriesHook,
  AsyncSeriesWaterfallHook,
  createHook,
  isHook,
  SyncBailHook,
  SyncHook,
  SyncSeriesBailHook,
  SyncSeriesHook,
  SyncSeriesWaterfallHook,
  type TapFailure,
} from '../../../src/hooks/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = () => new Promise<never>(() => undefined);

describe('hooks', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await sleep(5);
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  describe('SyncSeriesHook', () => {
    it('should call every tap in order with the same arguments', () => {
      const hook = new SyncSeriesHook<[string, number]>({ name: 'h' });
      const calls: string[] = [];
      hook.tap('a', (s, n) => void calls.push(`a:${s}${n}`));
      hook.tap('b', (s, n) => void calls.push(`b:${s}${n}`));
      expect(hook.call('x', 1)).toBeUndefined();
      expect(calls).toEqual(['a:x1', 'b:x1']);
    });

    it('should skip a tap that throws, report it and go on', () => {
      const hook = new SyncSeriesHook<[]>({ name: 'h' });
      const failures: TapFailure[] = [];
      hook.onTapFailure((f) => failures.push(f));
      const calls: string[] = [];
      hook.tap({ name: 'bad', owner: 'plugin_x' }, () => {
        throw new Error('boom');
      });
      hook.tap('good', () => void calls.push('good'));
      hook.call();
      expect(calls).toEqual(['good']);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ hook: 'h', tap: 'bad', owner: 'plugin_x' });
      expect(failures[0]?.error.code).toBe('JOVIAN_E_HOOK_TAP_FAILED');
      expect(failures[0]?.error.message).toBe('hook `h` tap `bad` threw: boom');
      expect((failures[0]!.error.cause as Error).message).toBe('boom');
    });

    it('should treat a promise returned to a synchronous hook as a failure', () => {
      const hook = new SyncSeriesHook<[]>({ name: 'h' });
      const failures: TapFailure[] = [];
      hook.onTapFailure((f) => failures.push(f));
      hook.tap('async', (async () => {
        throw new Error('rejected later');
      }) as () => void);
      hook.call();
      expect(failures[0]?.error.code).toBe('JOVIAN_E_HOOK_BAD_TAP');
    });

    it('should fail the whole call when the hook is strict', () => {
      const hook = new SyncHook<[]>({ name: 'h', strict: true });
      const calls: string[] = [];
      hook.tap('bad', () => {
        throw new Error('boom');
      });
      hook.tap('after', () => void calls.push('after'));
      expect(() => hook.call()).toThrow(expect.objectContaining({ code: 'JOVIAN_E_HOOK_TAP_FAILED' }));
      expect(calls).toEqual([]);
    });
  });

  describe('SyncSeriesBailHook', () => {
    it('should return the first result that is not undefined and stop there', () => {
      const hook = new SyncSeriesBailHook<[number], string>({ name: 'h' });
      const calls: string[] = [];
      hook.tap('none', () => void calls.push('none'));
      hook.tap('answer', (n) => {
        calls.push('answer');
        return `n=${n}`;
      });
      hook.tap('late', () => {
        calls.push('late');
        return 'late';
      });
      expect(hook.call(3)).toBe('n=3');
      expect(calls).toEqual(['none', 'answer']);
      expect(new SyncBailHook<[]>({ name: 'empty' }).call()).toBeUndefined();
    });
  });

  describe('SyncSeriesWaterfallHook', () => {
    it.each([1, 2, 5, 12, 13, 20])('should pass the value through %i taps', (count) => {
      const hook = new SyncSeriesWaterfallHook<number>({ name: 'h' });
      for (let i = 0; i < count; i++) hook.tap(`t${i}`, (n) => n * 2);
      expect(hook.call(1)).toBe(2 ** count);
    });

    it('should keep the value when a tap returns undefined and return it unchanged with no taps', () => {
      const hook = new SyncSeriesWaterfallHook<string>({ name: 'h' });
      expect(hook.call('same')).toBe('same');
      hook.tap('noop', () => undefined);
      hook.tap('upper', (s) => s.toUpperCase());
      expect(hook.call('abc')).toBe('ABC');
    });

    it.each([3, 12, 15])('should go on with the previous value after a failing tap (%i taps)', (count) => {
      const hook = new SyncSeriesWaterfallHook<number>({ name: 'h' });
      const failed: string[] = [];
      hook.onTapFailure((f) => failed.push(f.tap));
      for (let i = 0; i < count; i++) {
        hook.tap(`t${i}`, (n) => {
          if (i === 1) throw new Error('boom');
          return n + 1;
        });
      }
      expect(hook.call(0)).toBe(count - 1);
      expect(failed).toEqual(['t1']);
    });

    it('should pass the extra arguments to every tap', () => {
      const hook = new SyncSeriesWaterfallHook<string, [string]>({ name: 'h' });
      hook.tap('a', (s, suffix) => s + suffix);
      hook.tap('b', (s, suffix) => s + suffix);
      expect(hook.call('x', '!')).toBe('x!!');
    });
  });

  describe('AsyncSeriesHook', () => {
    it('should run taps one after another', async () => {
      const hook = new AsyncSeriesHook<[string]>({ name: 'h' });
      const events: string[] = [];
      hook.tap('slow', async (s) => {
        events.push(`slow start ${s}`);
        await sleep(20);
        events.push('slow end');
      });
      hook.tap('sync', (s) => void events.push(`sync ${s}`));
      await hook.call('go');
      expect(events).toEqual(['slow start go', 'slow end', 'sync go']);
    });

    it('should isolate a rejecting tap', async () => {
      const hook = new AsyncSeriesHook<[]>({ name: 'h' });
      const failures: TapFailure[] = [];
      hook.onTapFailure((f) => failures.push(f));
      const calls: string[] = [];
      hook.tap('bad', async () => {
        throw new Error('nope');
      });
      hook.tap('good', async () => void calls.push('good'));
      await hook.call();
      expect(calls).toEqual(['good']);
      expect(failures.map((f) => f.error.code)).toEqual(['JOVIAN_E_HOOK_TAP_FAILED']);
    });

    it('should abandon a tap that never settles once its deadline passes', async () => {
      const hook = new AsyncSeriesHook<[]>({ name: 'h', timeoutMs: 40 });
      const failures: TapFailure[] = [];
      hook.onTapFailure((f) => failures.push(f));
      const calls: string[] = [];
      hook.tap({ name: 'hang', owner: 'stuck_plugin' }, never);
      hook.tap('after', () => void calls.push('after'));
      await hook.call();
      expect(calls).toEqual(['after']);
      expect(failures[0]).toMatchObject({ tap: 'hang', owner: 'stuck_plugin' });
      expect(failures[0]?.error.code).toBe('JOVIAN_E_HOOK_TAP_TIMEOUT');
      expect(failures[0]?.error.message).toBe('hook `h` tap `hang` did not finish within 40 ms');
    });

    it('should use a tap’s own deadline before the hook’s and ignore a late settlement', async () => {
      const hook = new AsyncSeriesWaterfallHook<number>({ name: 'h', timeoutMs: 10_000 });
      let release: (value: number) => void = () => undefined;
      hook.tap({ name: 'late', timeoutMs: 30 }, () => new Promise<number>((resolve) => (release = resolve)));
      hook.tap('plus', (n) => n + 1);
      expect(await hook.call(1)).toBe(2);
      release(100);
      await sleep(5);
      expect(await hook.call(5)).toBe(6);
    });

    it('should reject a strict call with the failure and not run later taps', async () => {
      const hook = new AsyncSeriesHook<[]>({ name: 'h', strict: true, timeoutMs: 30 });
      const calls: string[] = [];
      hook.tap('hang', never);
      hook.tap('after', () => void calls.push('after'));
      await expect(hook.call()).rejects.toMatchObject({ code: 'JOVIAN_E_HOOK_TAP_TIMEOUT' });
      expect(calls).toEqual([]);
    });
  });

  describe('AsyncSeriesBailHook', () => {
    it('should resolve to the first answer and not call later taps', async () => {
      const hook = new AsyncSeriesBailHook<[string], { response: string }>({ name: 'h' });
      const calls: string[] = [];
      hook.tap('skip', async () => void calls.push('skip'));
      hook.tap('answer', async (name) => {
        calls.push('answer');
        return { response: `hello ${name}` };
      });
      hook.tap('never', async () => {
        calls.push('never');
        return { response: 'no' };
      });
      expect(await hook.call('you')).toEqual({ response: 'hello you' });
      expect(calls).toEqual(['skip', 'answer']);
    });
  });

  describe('AsyncSeriesWaterfallHook', () => {
    it('should await each tap and pass its result on', async () => {
      const hook = new AsyncSeriesWaterfallHook<{ text: string }>({ name: 'h' });
      hook.tap('trim', async (m) => ({ text: m.text.trim() }));
      hook.tap('keep', () => undefined);
      hook.tap('shout', (m) => ({ text: `${m.text}!` }));
      expect(await hook.call({ text: '  hi ' })).toEqual({ text: 'hi!' });
    });

    it('should go on with the previous value when a tap rejects', async () => {
      const hook = new AsyncSeriesWaterfallHook<number>({ name: 'h' });
      hook.tap('one', async (n) => n + 1);
      hook.tap('bad', async () => {
        throw new Error('x');
      });
      hook.tap('two', async (n) => n + 1);
      expect(await hook.call(0)).toBe(2);
    });

    it('should survive many concurrent calls, some hanging', async () => {
      const hook = new AsyncSeriesWaterfallHook<number>({ name: 'h', timeoutMs: 30 });
      hook.tap('maybe-hang', (n) => (n % 10 === 0 ? never() : Promise.resolve(n)));
      hook.tap('double', async (n) => n * 2);
      const results = await Promise.all(Array.from({ length: 50 }, (_, n) => hook.call(n)));
      expect(results).toEqual(Array.from({ length: 50 }, (_, n) => n * 2));
    });
  });

  describe('AsyncParallelHook', () => {
    it('should start every tap at once and wait for all', async () => {
      const hook = new AsyncParallelHook<[]>({ name: 'h' });
      const events: string[] = [];
      hook.tap('a', async () => {
        events.push('a start');
        await sleep(20);
        events.push('a end');
      });
      hook.tap('b', async () => {
        events.push('b start');
        await sleep(5);
        events.push('b end');
      });
      await hook.call();
      expect(events).toEqual(['a start', 'b start', 'b end', 'a end']);
    });

    it('should not wait for a tap past its deadline', async () => {
      const hook = new AsyncParallelHook<[]>({ name: 'h', timeoutMs: 30 });
      const failures: string[] = [];
      hook.onTapFailure((f) => failures.push(f.error.code));
      hook.tap('hang', never);
      hook.tap('ok', async () => undefined);
      await hook.call();
      expect(failures).toEqual(['JOVIAN_E_HOOK_TAP_TIMEOUT']);
    });
  });

  describe('AsyncParallelBailHook', () => {
    it('should resolve with the earliest-registered answer, not the fastest', async () => {
      const hook = new AsyncParallelBailHook<[], string>({ name: 'h' });
      hook.tap('slow-first', async () => {
        await sleep(30);
        return 'first';
      });
      hook.tap('fast-second', async () => 'second');
      expect(await hook.call()).toBe('first');
    });

    it('should resolve as soon as the earlier taps settled without answering', async () => {
      const hook = new AsyncParallelBailHook<[], string>({ name: 'h', timeoutMs: 10_000 });
      hook.tap('no-answer', async () => undefined);
      hook.tap('answer', async () => 'yes');
      hook.tap('slow', () => sleep(5_000).then(() => 'too late'));
      expect(await hook.call()).toBe('yes');
    });

    it('should resolve to undefined when nobody answers', async () => {
      const hook = new AsyncParallelBailHook<[], string>({ name: 'h' });
      hook.tap('a', async () => undefined);
      expect(await hook.call()).toBeUndefined();
    });
  });

  describe('#tap', () => {
    it('should order taps by stage, then registration', () => {
      const hook = new SyncSeriesHook<[]>({ name: 'h' });
      hook.tap({ name: 'late', stage: 10 }, () => undefined);
      hook.tap('a', () => undefined);
      hook.tap({ name: 'early', stage: -5 }, () => undefined);
      hook.tap('b', () => undefined);
      expect(hook.taps.map((t) => t.name)).toEqual(['early', 'a', 'b', 'late']);
    });

    it('should place a tap before the taps it names, ignoring unknown names', () => {
      const hook = new SyncSeriesHook<[]>({ name: 'h' });
      hook.tap('a', () => undefined);
      hook.tap('b', () => undefined);
      hook.tap({ name: 'c', before: ['b', 'ghost'] }, () => undefined);
      expect(hook.taps.map((t) => t.name)).toEqual(['a', 'c', 'b']);
      hook.tap({ name: 'd', before: 'a' }, () => undefined);
      expect(hook.taps.map((t) => t.name)).toEqual(['d', 'a', 'c', 'b']);
    });

    it('should refuse a duplicate or empty name', () => {
      const hook = new SyncSeriesHook<[]>({ name: 'h' });
      hook.tap('a', () => undefined);
      expect(() => hook.tap('a', () => undefined)).toThrow(
        expect.objectContaining({ code: 'JOVIAN_E_HOOK_BAD_TAP' }),
      );
      expect(() => hook.tap('', () => undefined)).toThrow(
        expect.objectContaining({ code: 'JOVIAN_E_HOOK_BAD_TAP' }),
      );
    });

    it('should remove a tap when its registration is disposed, once', () => {
      const hook = new SyncSeriesWaterfallHook<number>({ name: 'h' });
      const first = hook.tap('a', (n) => n + 1);
      hook.tap('b', (n) => n * 10);
      expect(hook.call(1)).toBe(20);
      first.dispose();
      first.dispose();
      expect(hook.call(1)).toBe(10);
      expect(hook.untap('b')).toBe(true);
      expect(hook.untap('b')).toBe(false);
      expect(hook.isUsed()).toBe(false);
    });

    it('should swap a tap’s function in place', () => {
      const hook = new SyncSeriesWaterfallHook<string>({ name: 'h' });
      hook.tap('a', (s) => `${s}a`);
      hook.tap('b', (s) => `${s}b`);
      hook.replaceTap('a', (s) => `${s}A`);
      expect(hook.call('')).toBe('Ab');
      expect(() => hook.replaceTap('zz', (s) => s)).toThrow(
        expect.objectContaining({ code: 'JOVIAN_E_HOOK_BAD_TAP' }),
      );
    });

    it('should rebuild its dispatch after taps are added between calls', async () => {
      const hook = new AsyncSeriesWaterfallHook<number>({ name: 'h' });
      hook.tap('a', (n) => n + 1);
      expect(await hook.call(0)).toBe(1);
      hook.tap('b', (n) => n + 10);
      expect(await hook.call(0)).toBe(11);
    });
  });

  describe('#intercept', () => {
    it('should report calls, taps, results, errors and the end of each call', async () => {
      const hook = new AsyncSeriesWaterfallHook<number>({ name: 'h' });
      const log: string[] = [];
      hook.tap({ name: 'a', owner: 'pa' }, async (n) => n + 1);
      hook.tap('bad', () => {
        throw new Error('x');
      });
      hook.intercept({
        name: 'trace',
        call: (args) => log.push(`call ${JSON.stringify(args)}`),
        tap: (tap) => log.push(`tap ${tap.name}`),
        result: (tap, value, ms) => log.push(`result ${tap.name} ${String(value)} ${typeof ms}`),
        error: (tap, error) => log.push(`error ${tap.name} ${error.code}`),
        done: (result) => log.push(`done ${String(result)}`),
      });
      expect(await hook.call(1)).toBe(2);
      expect(log).toEqual([
        'call [1]',
        'tap a',
        'result a 2 number',
        'tap bad',
        'error bad JOVIAN_E_HOOK_TAP_FAILED',
        'done 2',
      ]);
    });

    it('should let an interceptor change a tap at registration', () => {
      const hook = new SyncSeriesHook<[]>({ name: 'h' });
      hook.intercept({ register: (tap) => (tap.name === 'x' ? { ...tap, stage: -1 } : undefined) });
      hook.tap('a', () => undefined);
      hook.tap('x', () => undefined);
      expect(hook.taps.map((t) => t.name)).toEqual(['x', 'a']);
    });

    it('should not break the hook when an interceptor throws', () => {
      const hook = new SyncSeriesWaterfallHook<number>({ name: 'h' });
      const failures: string[] = [];
      hook.onTapFailure((f) => failures.push(f.tap));
      hook.intercept({
        name: 'broken',
        tap: () => {
          throw new Error('interceptor bug');
        },
      });
      hook.tap('a', (n) => n + 1);
      expect(hook.call(1)).toBe(2);
      expect(failures).toEqual(['interceptor:broken']);
    });
  });

  describe('createHook', () => {
    it('should build every kind from data', async () => {
      for (const kind of [
        'SyncSeries',
        'SyncSeriesBail',
        'SyncSeriesWaterfall',
        'AsyncSeries',
        'AsyncSeriesBail',
        'AsyncSeriesWaterfall',
        'AsyncParallel',
        'AsyncParallelBail',
      ] as const) {
        const hook = createHook(kind, { name: kind });
        expect(hook.kind).toBe(kind);
        expect(isHook(hook)).toBe(true);
      }
      expect(isHook({ tap() {} })).toBe(false);
      expect(() => createHook('SyncParallel' as never, { name: 'x' })).toThrow(
        expect.objectContaining({ code: 'JOVIAN_E_HOOK_UNKNOWN' }),
      );
    });
  });

  describe('types', () => {
    it('should type taps and calls from the hook’s parameters', () => {
      const waterfall = new AsyncSeriesWaterfallHook<{ content: string }>({ name: 'w' });
      expectTypeOf(waterfall.call).parameter(0).toEqualTypeOf<{ content: string }>();
      expectTypeOf(waterfall.call).returns.toEqualTypeOf<Promise<{ content: string }>>();
      const bail = new SyncSeriesBailHook<[number], string>({ name: 'b' });
      expectTypeOf(bail.call).returns.toEqualTypeOf<string | undefined>();
      // @ts-expect-error a waterfall tap must return the value type
      waterfall.tap('bad', () => 42);
      // @ts-expect-error calls are checked too
      bail.call('not a number');
    });
  });
});
