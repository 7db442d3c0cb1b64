import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BusEvent,
  EventBus,
  type HandlerFailure,
  matches,
  type OverflowReport,
  validatePattern,
  validateTopic,
} from '../../../src/events/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('matches', () => {
  it.each([
    ['plugin.state', 'plugin.state', true],
    ['plugin.state', 'plugin.states', false],
    ['plugin.*', 'plugin.state', true],
    ['plugin.*', 'plugin', false],
    ['plugin.*', 'plugin.state.changed', false],
    ['*.failed', 'job.failed', true],
    ['*.failed', 'job.x.failed', false],
    ['**', 'anything.at.all', true],
    ['job.**', 'job', true],
    ['job.**', 'job.progress', true],
    ['job.**', 'job.a.b.c', true],
    ['job.**', 'jobs.a', false],
    ['**.done', 'done', true],
    ['**.done', 'a.b.done', true],
    ['**.done', 'a.b.done.not', false],
    ['a.**.z', 'a.z', true],
    ['a.**.z', 'a.b.c.z', true],
    ['a.**.z', 'a.b.c.y', false],
    ['a.*.**', 'a', false],
    ['a.*.**', 'a.b', true],
  ])('%s against %s should be %s', (pattern, topic, expected) => {
    expect(matches(pattern, topic)).toBe(expected);
  });
});

describe('validateTopic / validatePattern', () => {
  it.each(['', 'a..b', '.a', 'a.', 'a b', 'plugin.*', 'x'.repeat(201)])(
    'should refuse the topic %j',
    (topic) => {
      expect(() => validateTopic(topic)).toThrow(
        expect.objectContaining({ code: 'JOVIAN_E_EVENT_BAD_TOPIC' }),
      );
    },
  );

  it('should accept wildcards in patterns only', () => {
    expect(() => validatePattern('plugin.*.**')).not.toThrow();
    expect(() => validatePattern('plugin.s*')).toThrow(
      expect.objectContaining({ code: 'JOVIAN_E_EVENT_BAD_TOPIC' }),
    );
  });
});

describe('EventBus', () => {
  let bus: EventBus;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    bus = new EventBus();
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await sleep(5);
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  describe('#emit', () => {
    it('should deliver later, never inside emit', async () => {
      const seen: string[] = [];
      bus.subscribe('a.*', (e) => void seen.push(e.topic));
      bus.emit('a.one', 1);
      expect(seen).toEqual([]);
      await bus.flush();
      expect(seen).toEqual(['a.one']);
    });

    it('should give each event an increasing id, its source and its time', async () => {
      const seen: BusEvent[] = [];
      bus.subscribe('**', (e) => void seen.push(e));
      const before = Date.now();
      bus.emit('x', { n: 1 }, { source: 'plugin_a' });
      bus.emit('y');
      await bus.flush();
      expect(seen[0]).toMatchObject({ topic: 'x', payload: { n: 1 }, source: 'plugin_a' });
      expect(seen[1]!.id).toBeGreaterThan(seen[0]!.id);
      expect(seen[0]!.at).toBeGreaterThanOrEqual(before);
    });

    it('should refuse a malformed topic', () => {
      expect(() => bus.emit('bad topic')).toThrow(
        expect.objectContaining({ code: 'JOVIAN_E_EVENT_BAD_TOPIC' }),
      );
    });

    it('should deliver an event matching several patterns of one subscription once', async () => {
      const seen: string[] = [];
      bus.subscribe(['chat.*', 'chat.message', '**'], (e) => void seen.push(e.topic));
      bus.emit('chat.message');
      await bus.flush();
      expect(seen).toEqual(['chat.message']);
    });
  });

  describe('#subscribe', () => {
    it('should keep emit order per subscriber, waiting for async handlers', async () => {
      const seen: number[] = [];
      bus.subscribe('n', async (e) => {
        await sleep(Math.random() * 5);
        seen.push(e.payload as number);
      });
      for (let i = 0; i < 20; i++) bus.emit('n', i);
      await bus.flush();
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('should not let a slow subscriber delay a fast one', async () => {
      const order: string[] = [];
      bus.subscribe('t', async () => {
        await sleep(50);
        order.push('slow');
      });
      bus.subscribe('t', () => void order.push('fast'));
      bus.emit('t');
      await sleep(10);
      expect(order).toEqual(['fast']);
      await bus.flush();
      expect(order).toEqual(['fast', 'slow']);
    });

    it('should isolate a handler that throws or rejects and report it with its owner', async () => {
      const failures: HandlerFailure[] = [];
      bus.onFailure((f) => failures.push(f));
      const good: string[] = [];
      const bad = bus.subscribe(
        't',
        (e) => {
          if (e.payload === 1) throw new Error('sync boom');
          if (e.payload === 2) return Promise.reject(new Error('async boom'));
          return undefined;
        },
        { name: 'fragile', owner: 'plugin_x' },
      );
      bus.subscribe('t', (e) => void good.push(String(e.payload)));
      for (const n of [1, 2, 3]) bus.emit('t', n);
      await bus.flush();
      expect(good).toEqual(['1', '2', '3']);
      expect(failures.map((f) => [f.owner, f.name, f.error.code])).toEqual([
        ['plugin_x', 'fragile', 'JOVIAN_E_EVENT_HANDLER_FAILED'],
        ['plugin_x', 'fragile', 'JOVIAN_E_EVENT_HANDLER_FAILED'],
      ]);
      expect(failures[0]!.error.message).toBe('subscriber `fragile` failed on `t`: sync boom');
      expect(bad.stats).toEqual({ delivered: 1, failed: 2, dropped: 0, queued: 0 });
    });

    it('should skip a handler that misses its deadline and go on', async () => {
      const failures: string[] = [];
      bus.onFailure((f) => failures.push(f.error.message));
      const seen: unknown[] = [];
      bus.subscribe(
        't',
        (e) => (e.payload === 'hang' ? new Promise(() => undefined) : void seen.push(e.payload)),
        {
          name: 'slowpoke',
          handlerTimeoutMs: 30,
        },
      );
      bus.emit('t', 'hang');
      bus.emit('t', 'next');
      await bus.flush();
      expect(seen).toEqual(['next']);
      expect(failures).toEqual(['subscriber `slowpoke` did not handle `t` within 30 ms']);
    });

    it('should stop delivering after dispose, even events already queued', async () => {
      const seen: unknown[] = [];
      const subscription = bus.subscribe('t', (e) => void seen.push(e.payload));
      bus.emit('t', 1);
      subscription.dispose();
      subscription.dispose();
      bus.emit('t', 2);
      await bus.flush();
      expect(seen).toEqual([]);
      expect(subscription.active).toBe(false);
      expect(bus.subscriberCount()).toBe(0);
    });

    it('should let a handler unsubscribe another one during delivery', async () => {
      const seen: string[] = [];
      let second: { dispose(): void } | undefined;
      bus.subscribe('t', () => {
        seen.push('first');
        second?.dispose();
      });
      second = bus.subscribe('t', () => void seen.push('second'));
      bus.emit('t');
      await bus.flush();
      expect(seen).toEqual(['first']);
    });

    it('should deliver to subscriptions made inside a handler from the next emit on', async () => {
      const seen: string[] = [];
      bus.subscribe('t', () => {
        if (bus.subscriberCount('t') === 1) bus.subscribe('t', () => void seen.push('late'));
      });
      bus.emit('t');
      await bus.flush();
      expect(seen).toEqual([]);
      bus.emit('t');
      await bus.flush();
      expect(seen).toEqual(['late']);
    });
  });

  describe('overflow', () => {
    async function overflow(policy: 'drop-oldest' | 'drop-newest' | 'unsubscribe') {
      const reports: OverflowReport[] = [];
      bus.onOverflow((r) => reports.push(r));
      const seen: number[] = [];
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const subscription = bus.subscribe(
        't',
        async (e) => {
          if (e.payload === 0) await gate;
          seen.push(e.payload as number);
        },
        { queueSize: 3, overflow: policy, owner: 'p' },
      );
      bus.emit('t', 0);
      await sleep(1);
      for (let i = 1; i <= 6; i++) bus.emit('t', i);
      release();
      await bus.flush();
      return { seen, reports, subscription };
    }

    it('should drop the oldest queued events with drop-oldest', async () => {
      const { seen, reports, subscription } = await overflow('drop-oldest');
      expect(seen).toEqual([0, 4, 5, 6]);
      expect(subscription.stats.dropped).toBe(3);
      expect(reports.map((r) => r.policy)).toEqual(['drop-oldest', 'drop-oldest', 'drop-oldest']);
    });

    it('should drop the new events with drop-newest', async () => {
      const { seen, subscription } = await overflow('drop-newest');
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(subscription.stats.dropped).toBe(3);
    });

    it('should remove the subscriber with unsubscribe', async () => {
      const { seen, subscription, reports } = await overflow('unsubscribe');
      expect(subscription.active).toBe(false);
      expect(seen).toEqual([0]);
      expect(reports).toHaveLength(1);
      expect(bus.subscriberCount()).toBe(0);
    });

    it('should keep memory bounded when a subscriber never finishes', async () => {
      const subscription = bus.subscribe('t', () => new Promise(() => undefined), { queueSize: 10 });
      for (let i = 0; i < 10_000; i++) bus.emit('t', i);
      await sleep(1);
      // The 10 newest were queued; the drain then handed one to the handler, which never returns.
      expect(subscription.stats.queued).toBe(9);
      expect(subscription.stats.dropped).toBe(10_000 - 10);
      for (let i = 0; i < 1_000; i++) bus.emit('t', i);
      await sleep(1);
      expect(subscription.stats.queued).toBe(10);
    });
  });

  describe('#flush', () => {
    it('should wait for events emitted by handlers too', async () => {
      const seen: string[] = [];
      bus.subscribe('first', async () => {
        await sleep(5);
        bus.emit('second');
      });
      bus.subscribe('second', async () => {
        await sleep(5);
        seen.push('second');
      });
      bus.emit('first');
      await bus.flush();
      expect(seen).toEqual(['second']);
    });

    it('should resolve at once when idle', async () => {
      await expect(bus.flush()).resolves.toBeUndefined();
    });
  });
});
