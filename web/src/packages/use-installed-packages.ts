import { useCallback, useEffect, useState } from 'react';
import type { ApiInstalledPackages } from '../../../src/server/api-types';
import { listInstalled } from '../api/packages';
import { useEventStream } from '../live/use-event-stream';

type Installed = ApiInstalledPackages['installed'][number];

const TOPICS = ['plugin.installed', 'plugin.updated', 'plugin.uninstalled'];

/**
 * The plugins installed in `<data-dir>/plugins` (those the UI can uninstall or roll back), by id, kept
 * current by the install events; `onChange` gets the id of each plugin an event names.
 */
export function useInstalledPackages(onChange: (id: string) => void): ReadonlyMap<string, Installed> {
  const [installed, setInstalled] = useState<ReadonlyMap<string, Installed>>(new Map());
  const load = useCallback(() => {
    listInstalled().then(
      (answer) => setInstalled(new Map(answer.installed.map((p) => [p.id, p]))),
      () => setInstalled(new Map()),
    );
  }, []);
  useEffect(() => load(), [load]);
  useEventStream(
    TOPICS,
    (_topic, payload) => {
      load();
      const id = (payload as { id?: unknown } | null)?.id;
      if (typeof id === 'string') onChange(id);
    },
    load,
  );
  return installed;
}
