import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiPluginSummary, PluginStateChange } from '../../../src/server/api-types';
import { ApiError, asApiError } from '../api/client';
import { getPlugin, listPlugins } from '../api/plugins';
import { rememberPluginName } from '../bridge/plugin-names';
import type { StreamStatus } from './event-stream';
import { useEventStream } from './use-event-stream';

export interface PluginList {
  /** Null until the first answer. */
  readonly plugins: readonly ApiPluginSummary[] | null;
  readonly error: ApiError | null;
  readonly status: StreamStatus;
  /** Reloads one row from the server (after an action, say). */
  readonly refreshPlugin: (id: string) => void;
  /** Shows a known state at once, before the server's confirmation arrives. */
  readonly showState: (id: string, state: ApiPluginSummary['state']) => void;
}

const KEEPS_REASON = new Set(['blocked', 'disabled', 'error', 'suspended']);

/**
 * Every plugin of `GET /api/plugins`, kept current by `plugin.state` events: each event updates its
 * row at once (state, reason), then the row is reloaded for what the event does not carry (breaker).
 */
export function usePluginList(): PluginList {
  const [plugins, setPlugins] = useState<readonly ApiPluginSummary[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // Per plugin, the latest reload asked for: an older answer arriving late is ignored.
  const generations = useRef(new Map<string, number>());

  const loadAll = useCallback(() => {
    listPlugins().then(
      (list) => {
        for (const plugin of list) rememberPluginName(plugin.id, plugin.name);
        setPlugins(list);
        setError(null);
      },
      (failure: unknown) => setError(asApiError(failure)),
    );
  }, []);

  const refreshPlugin = useCallback((id: string) => {
    const generation = (generations.current.get(id) ?? 0) + 1;
    generations.current.set(id, generation);
    getPlugin(id).then(
      (details) => {
        if (generations.current.get(id) !== generation) return;
        setPlugins(whenLoaded((list) => replaceOrAppend(list, details)));
      },
      (failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 404)
          setPlugins(whenLoaded((list) => list.filter((p) => p.id !== id)));
        else setError(asApiError(failure));
      },
    );
  }, []);

  const showState = useCallback((id: string, state: ApiPluginSummary['state']) => {
    setPlugins(whenLoaded((list) => list.map((p) => (p.id === id ? { ...p, state } : p))));
  }, []);

  const onEvent = (topic: string, payload: unknown) => {
    if (topic !== 'plugin.state') return;
    const change = payload as PluginStateChange;
    if (plugins && !plugins.some((p) => p.id === change.id)) return loadAll();
    setPlugins(
      whenLoaded((list) =>
        list.map((p) =>
          p.id === change.id
            ? {
                ...p,
                state: change.to,
                reason: KEEPS_REASON.has(change.to) ? (change.reason ?? p.reason) : null,
              }
            : p,
        ),
      ),
    );
    refreshPlugin(change.id);
  };

  // Loaded at once, not only when the socket is ready: a refused socket must not hide the list (or the
  // 401 that shows the login screen); the socket reloads it once subscribed, so no change is missed.
  useEffect(() => loadAll(), [loadAll]);
  const status = useEventStream(['plugin.state'], onEvent, loadAll);
  return { plugins, error, status, refreshPlugin, showState };
}

type Rows = readonly ApiPluginSummary[];

/** A state update that edits the list once it is loaded, and leaves it null before. */
const whenLoaded =
  (edit: (list: Rows) => Rows) =>
  (list: Rows | null): Rows | null =>
    list === null ? null : edit(list);

function replaceOrAppend(
  list: readonly ApiPluginSummary[],
  plugin: ApiPluginSummary,
): readonly ApiPluginSummary[] {
  return list.some((p) => p.id === plugin.id)
    ? list.map((p) => (p.id === plugin.id ? plugin : p))
    : [...list, plugin];
}
