/**
 * The UI's one events socket (web/src/live/event-stream.ts), over a fake socket: patterns come and go
 * with their listeners, each event reaches only the listeners whose pattern it matches.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  isTopicPattern,
  SharedEventStream,
  type SocketLike,
  topicMatches,
} from '../../../web/src/live/event-stream.js';

class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((message: { readonly data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  readonly sent: unknown[] = [];
  closed = false;
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

describe('SharedEventStream', () => {
  let sockets: FakeSocket[];
  let stream: SharedEventStream;
  const socket = () => sockets.at(-1)!;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    stream = new SharedEventStream(() => {
      const created = new FakeSocket();
      sockets.push(created);
      return created;
    });
  });
  afterEach(() => vi.useRealTimers());

  it('should open one socket with the first listener and subscribe its patterns once open', () => {
    const onReady = vi.fn();
    stream.subscribe({ patterns: ['plugin.state'], onEvent: () => {}, onReady });
    expect(sockets).toHaveLength(1);
    socket().onopen?.();
    expect(socket().sent).toEqual([{ subscribe: ['plugin.state'] }]);
    expect(stream.status).toBe('connecting');
    socket().receive({ subscribed: ['plugin.state'] });
    expect(stream.status).toBe('connected');
    expect(onReady).toHaveBeenCalledTimes(1);
  });

  it('should add a new pattern on the open socket, and tell a listener of a pattern already subscribed at once', () => {
    stream.subscribe({ patterns: ['plugin.state'], onEvent: () => {} });
    socket().onopen?.();
    socket().receive({ subscribed: ['plugin.state'] });
    const second = vi.fn();
    stream.subscribe({ patterns: ['weather.*'], onEvent: () => {}, onReady: second });
    expect(socket().sent.at(-1)).toEqual({ subscribe: ['weather.*'] });
    expect(second).not.toHaveBeenCalled();
    socket().receive({ subscribed: ['plugin.state', 'weather.*'] });
    expect(second).toHaveBeenCalledTimes(1);

    const third = vi.fn();
    stream.subscribe({ patterns: ['plugin.state'], onEvent: () => {}, onReady: third });
    expect(socket().sent).toHaveLength(2);
    expect(third).toHaveBeenCalledTimes(1);
    expect(sockets).toHaveLength(1);
  });

  it('should route each event to the listeners whose pattern it matches, once each', () => {
    const weather = vi.fn();
    const everything = vi.fn();
    stream.subscribe({ patterns: ['weather.*'], onEvent: weather });
    stream.subscribe({ patterns: ['**', 'weather.updated'], onEvent: everything });
    socket().onopen?.();
    socket().receive({ topic: 'weather.updated', payload: { city: 'Paris' }, at: 1 });
    socket().receive({ topic: 'plugin.state', payload: {}, at: 2 });
    expect(weather).toHaveBeenCalledTimes(1);
    expect(weather).toHaveBeenCalledWith('weather.updated', { city: 'Paris' });
    expect(everything).toHaveBeenCalledTimes(2);
  });

  it('should keep delivering to the others when a listener throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    stream.subscribe({
      patterns: ['a'],
      onEvent: () => {
        throw new Error('plugin bug');
      },
    });
    stream.subscribe({ patterns: ['a'], onEvent: after });
    socket().receive({ topic: 'a', payload: null, at: 1 });
    expect(after).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('should unsubscribe a pattern when its last listener leaves, and close the idle socket later', () => {
    const first = stream.subscribe({ patterns: ['a'], onEvent: () => {} });
    const second = stream.subscribe({ patterns: ['a'], onEvent: () => {} });
    socket().onopen?.();
    first();
    expect(socket().sent).toEqual([{ subscribe: ['a'] }]);
    second();
    expect(socket().sent.at(-1)).toEqual({ unsubscribe: ['a'] });
    expect(socket().closed).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(socket().closed).toBe(true);
  });

  it('should open again after a drop, resubscribe every pattern and tell every listener again', () => {
    const onReady = vi.fn();
    stream.subscribe({ patterns: ['a', 'b.*'], onEvent: () => {}, onReady });
    socket().onopen?.();
    socket().receive({ subscribed: ['a', 'b.*'] });
    socket().onclose?.();
    expect(stream.status).toBe('disconnected');
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
    socket().onopen?.();
    expect(socket().sent).toEqual([{ subscribe: ['a', 'b.*'] }]);
    socket().receive({ subscribed: ['a', 'b.*'] });
    expect(onReady).toHaveBeenCalledTimes(2);
    socket().receive({ dropped: 3 });
    expect(onReady).toHaveBeenCalledTimes(3);
  });

  it('should refuse a malformed pattern before sending anything', () => {
    expect(() => stream.subscribe({ patterns: ['bad..topic'], onEvent: () => {} })).toThrow(/malformed/);
    expect(sockets).toHaveLength(0);
  });
});

describe('topic patterns', () => {
  it('should match `*` as one word and `**` as any number, none included', () => {
    expect(topicMatches('plugin.*', 'plugin.state')).toBe(true);
    expect(topicMatches('plugin.*', 'plugin.state.extra')).toBe(false);
    expect(topicMatches('plugin.**', 'plugin')).toBe(true);
    expect(topicMatches('**.failed', 'job.run.failed')).toBe(true);
    expect(topicMatches('a.**.z', 'a.z')).toBe(true);
    expect(topicMatches('chat.message', 'chat.message')).toBe(true);
    expect(topicMatches('chat.message', 'chat.messages')).toBe(false);
  });

  it('should accept the patterns the server accepts', () => {
    expect(isTopicPattern('plugin.*')).toBe(true);
    expect(isTopicPattern('**')).toBe(true);
    expect(isTopicPattern('')).toBe(false);
    expect(isTopicPattern('a..b')).toBe(false);
    expect(isTopicPattern('a.b c')).toBe(false);
    expect(isTopicPattern('a.**x')).toBe(false);
  });
});
