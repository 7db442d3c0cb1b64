import { useCallback, useRef, useState } from 'react';
import type { ApiPluginDetails } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { getPlugin } from '../api/plugins';
import { rememberPluginName } from '../bridge/plugin-names';

export interface PluginDetailsState {
  /** Null until the first answer. */
  readonly details: ApiPluginDetails | null;
  readonly error: ApiError | null;
  readonly reload: () => void;
}

/** `GET /api/plugins/:id`, reloaded on demand (on each `plugin.state` event of the plugin). */
export function usePluginDetails(id: string): PluginDetailsState {
  const [details, setDetails] = useState<ApiPluginDetails | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    getPlugin(id).then(
      (answer) => {
        if (mine !== generation.current) return;
        rememberPluginName(answer.id, answer.name);
        setDetails(answer);
        setError(null);
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(asApiError(failure));
      },
    );
  }, [id]);
  return { details, error, reload };
}
