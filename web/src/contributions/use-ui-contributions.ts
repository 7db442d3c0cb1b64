import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiUiContributions, PluginStateChange } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { getUiContributions } from '../api/ui';
import { useEventStream } from '../live/use-event-stream';

export interface UiContributions {
  /** Null until the first answer. */
  readonly ui: ApiUiContributions | null;
  readonly error: ApiError | null;
  /** Per plugin, how many times it was reloaded while this page was open (the modules' `?v=`). */
  readonly versions: Readonly<Record<string, number>>;
}

/**
 * `GET /api/ui`, loaded again when a plugin changes state (a disabled plugin's panels leave) or is
 * reloaded (its modules are then imported again, with a new `?v=`).
 */
export function useUiContributions(): UiContributions {
  const [ui, setUi] = useState<ApiUiContributions | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [versions, setVersions] = useState<Readonly<Record<string, number>>>({});
  const generation = useRef(0);

  const load = useCallback(() => {
    const mine = ++generation.current;
    getUiContributions().then(
      (answer) => {
        if (mine !== generation.current) return;
        setUi(answer);
        setError(null);
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(asApiError(failure));
      },
    );
  }, []);

  const onEvent = (topic: string, payload: unknown) => {
    const id = (payload as PluginStateChange | { id?: unknown } | null)?.id;
    if (topic === 'plugin.reloaded' && typeof id === 'string')
      setVersions((current) => ({ ...current, [id]: Date.now() }));
    load();
  };
  useEffect(() => load(), [load]);
  useEventStream(['plugin.state', 'plugin.reloaded'], onEvent, load);
  return { ui, error, versions };
}
