import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { EventStream, type StreamStatus } from './event-stream';

/**
 * Keeps an `/api/events` socket open while the component is mounted, subscribed to `patterns`.
 * `onEvent` and `onReady` may change between renders: the latest ones are called.
 */
export function useEventStream(
  patterns: readonly string[],
  onEvent: (topic: string, payload: unknown) => void,
  onReady: () => void,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const latest = useRef({ onEvent, onReady });
  useLayoutEffect(() => {
    latest.current = { onEvent, onReady };
  });
  const key = patterns.join(' ');
  useEffect(() => {
    const stream = new EventStream(key.split(' '), {
      onEvent: (topic, payload) => latest.current.onEvent(topic, payload),
      onReady: () => latest.current.onReady(),
      onStatus: setStatus,
    });
    return () => stream.close();
  }, [key]);
  return status;
}
