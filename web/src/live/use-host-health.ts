import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiHealth } from '../../../src/server/api-types';
import { getHealth } from '../api/health';
import { useEventStream } from './use-event-stream';

/**
 * `GET /api/health`, read again on every `plugin.health` and `plugin.state` event (a check result or
 * a state that changed may change the host's mode). Null until the first answer, and when it fails
 * (the banner it feeds then shows nothing rather than a stale mode).
 */
export function useHostHealth(): ApiHealth | null {
  const [health, setHealth] = useState<ApiHealth | null>(null);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    getHealth().then(
      (answer) => mine === generation.current && setHealth(answer),
      () => mine === generation.current && setHealth(null),
    );
  }, []);
  useEventStream(['plugin.health', 'plugin.state'], reload, reload);
  useEffect(() => reload(), [reload]);
  return health;
}
