import { useCallback, useEffect, useState } from 'react';
import type { ApiPluginConfig } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { getPluginConfig } from '../api/plugin-config';

/**
 * The plugin's config as last read from the server (null until then), and `replace` to take the
 * values a save answered without asking again.
 */
export function usePluginConfig(id: string) {
  const [config, setConfig] = useState<ApiPluginConfig | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let current = true;
    setConfig(null);
    getPluginConfig(id).then(
      (answer) => current && setConfig(answer),
      (failure: unknown) => current && setError(asApiError(failure)),
    );
    return () => {
      current = false;
    };
  }, [id]);
  const replace = useCallback((values: Readonly<Record<string, unknown>>) => {
    setConfig((previous) => previous && { ...previous, values });
  }, []);
  return { config, error, replace };
}
