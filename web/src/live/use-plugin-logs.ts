import { useCallback, useRef, useState } from 'react';
import type { ApiLogLine } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { pluginLogs } from '../api/plugins';

/** Lines kept on the page; older ones leave as new ones arrive. */
const KEEP = 2000;
/** Lines asked from the server when the page opens (or the socket comes back). */
export const TAIL = 200;

/** A line as the page keeps it: `seq` numbers lines in arrival order (a key that never changes). */
export type NumberedLogLine = ApiLogLine & { readonly seq: number };

export interface PluginLogs {
  readonly lines: readonly NumberedLogLine[];
  readonly error: ApiError | null;
  /** Loads the last lines from the server; lines received meanwhile are kept, once each. */
  readonly reload: () => void;
  /** A `plugin.log` line of this plugin, from the event stream. */
  readonly add: (line: ApiLogLine) => void;
  readonly clear: () => void;
}

const keyOf = (line: ApiLogLine) => `${line.at}\u0000${line.level}\u0000${line.message}`;

/**
 * A plugin's log: the last lines the server keeps (`GET /api/plugins/:id/logs?tail=200`), then each
 * `plugin.log` event of that plugin. Call `reload` once the socket is subscribed, so no line falls
 * between the two; a line both in the answer and received live shows once.
 */
export function usePluginLogs(id: string): PluginLogs {
  const [lines, setLines] = useState<readonly NumberedLogLine[]>([]);
  const counter = useRef(0);
  const numbered = useCallback(
    (line: ApiLogLine): NumberedLogLine => ({ ...line, seq: ++counter.current }),
    [],
  );
  const [error, setError] = useState<ApiError | null>(null);
  // While a reload is in flight, live lines are also kept here to be merged after its answer.
  const pending = useRef<ApiLogLine[] | null>(null);

  const reload = useCallback(() => {
    const received: ApiLogLine[] = [];
    pending.current = received;
    pluginLogs(id, TAIL).then(
      (tail) => {
        if (pending.current !== received) return; // a later reload replaced this one
        pending.current = null;
        const seen = new Set(tail.map(keyOf));
        const merged = [...tail, ...received.filter((line) => !seen.has(keyOf(line)))];
        setLines(merged.slice(-KEEP).map(numbered));
        setError(null);
      },
      (failure: unknown) => setError(asApiError(failure)),
    );
  }, [id, numbered]);

  const add = useCallback(
    (line: ApiLogLine) => {
      pending.current?.push(line);
      const entry = numbered(line);
      setLines((current) =>
        current.length >= KEEP ? [...current.slice(1 - KEEP), entry] : [...current, entry],
      );
    },
    [numbered],
  );

  const clear = useCallback(() => setLines([]), []);
  return { lines, error, reload, add, clear };
}
