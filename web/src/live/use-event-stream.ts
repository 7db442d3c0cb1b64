import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { StreamStatus } from './event-stream';
import { eventStream } from './shared-event-stream';

const subscribeStatus = (listener: () => void) => eventStream.onStatus(listener);
const currentStatus = () => eventStream.status;

/** Whether the shared events socket is connected, re-rendering when it changes. */
export function useStreamStatus(): StreamStatus {
  return useSyncExternalStore(subscribeStatus, currentStatus);
}

/**
 * Listens to `patterns` on the shared `/api/events` socket while the component is mounted.
 * `onEvent` and `onReady` may change between renders: the latest ones are called.
 */
export function useEventStream(
  patterns: readonly string[],
  onEvent: (topic: string, payload: unknown) => void,
  onReady: () => void = () => {},
): StreamStatus {
  const latest = useRef({ onEvent, onReady });
  useLayoutEffect(() => {
    latest.current = { onEvent, onReady };
  });
  const key = patterns.join(' ');
  useEffect(
    () =>
      eventStream.subscribe({
        patterns: key.split(' '),
        onEvent: (topic, payload) => latest.current.onEvent(topic, payload),
        onReady: () => latest.current.onReady(),
      }),
    [key],
  );
  return useStreamStatus();
}
