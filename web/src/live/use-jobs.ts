import { useCallback, useEffect, useState } from 'react';
import type { ApiJob } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { listJobs } from '../api/jobs';
import type { StreamStatus } from './event-stream';
import { useEventStream } from './use-event-stream';

export interface LiveJobs {
  /** Newest first. */
  readonly jobs: readonly ApiJob[];
  readonly loaded: boolean;
  readonly error: ApiError | null;
  readonly status: StreamStatus;
  /** Puts a job the page just submitted or cancelled in the list at once. */
  readonly put: (job: ApiJob) => void;
}

const KEEP = 200;

/**
 * Jobs (all, or one plugin's), newest first: the list the server keeps (`GET /api/jobs`), then each
 * `job.*` event, which carries the whole job (its state, progress, message and ETA).
 */
export function useJobs(plugin?: string): LiveJobs {
  const [jobs, setJobs] = useState<readonly ApiJob[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const put = useCallback((job: ApiJob) => {
    setJobs((current) => {
      const at = current.findIndex((j) => j.id === job.id);
      if (at === -1) return [job, ...current].slice(0, KEEP);
      // A late event must not take a job back: an ended job stays ended.
      if (current[at]!.endedAt !== null && job.endedAt === null) return current;
      const next = [...current];
      next[at] = job;
      return next;
    });
  }, []);

  const reload = useCallback(() => {
    listJobs(plugin === undefined ? { limit: KEEP } : { plugin, limit: KEEP }).then(
      (list) => {
        setJobs(list);
        setLoaded(true);
        setError(null);
      },
      (failure: unknown) => setError(asApiError(failure)),
    );
  }, [plugin]);

  const status = useEventStream(
    ['job.*'],
    (_topic, payload) => {
      const job = payload as ApiJob;
      if (plugin === undefined || job.plugin === plugin) put(job);
    },
    reload,
  );
  // Shown at once, not only when the socket is ready.
  useEffect(() => reload(), [reload]);
  return { jobs, loaded, error, status, put };
}
