import { useState } from 'react';
import type { ApiJob } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { cancelJob } from '../api/jobs';
import { useI18n } from '../i18n/i18n';
import { Link, pluginPath } from '../routing';

/** `75` → `1 min 15 s`. */
export function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * One job: its handler, state, a progress bar with the handler's message and ETA, and a Cancel button
 * while it has not ended; its error or result once it has.
 */
export function JobItem({
  job,
  showPlugin,
  onChange,
}: {
  readonly job: ApiJob;
  readonly showPlugin: boolean;
  readonly onChange: (job: ApiJob) => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const live = job.endedAt === null;
  const percent = Math.round(job.progress);
  const cancel = () => {
    setCancelling(true);
    cancelJob(job.id).then(
      (answer) => {
        onChange(answer);
        setError(null);
      },
      (failure: unknown) => {
        setError(asApiError(failure));
        setCancelling(false);
      },
    );
  };
  return (
    <li
      className={`job job-${job.state}`}
      data-job={job.id}
      aria-label={t('jobs.item', { name: job.name, id: job.id })}
    >
      <div className="job-head">
        {showPlugin && <Link to={pluginPath(job.plugin)}>{job.plugin}</Link>}
        <strong>{job.name}</strong>
        <code className="code">{job.id}</code>
        <span className={`badge job-state state-${job.state}`}>{t(`jobs.state.${job.state}`)}</span>
        <span className="spacer" />
        <time dateTime={job.createdAt}>{new Date(job.createdAt).toLocaleString()}</time>
        {live && (
          <button type="button" className="danger" disabled={cancelling} onClick={cancel}>
            {t('jobs.cancel')}
          </button>
        )}
      </div>
      <div className="job-progress">
        <div
          className="progress-bar"
          role="progressbar"
          aria-label={t('jobs.progress', { name: job.name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent}%${job.message ? ` ${job.message}` : ''}`}
        >
          <div className="progress-fill" style={{ width: `${percent}%` }} />
        </div>
        <span className="progress-percent">{percent}%</span>
        {job.message && <span className="job-message">{job.message}</span>}
        {live && job.etaSeconds !== null && (
          <span className="job-eta">{t('jobs.eta', { eta: formatEta(job.etaSeconds) })}</span>
        )}
      </div>
      {job.error && job.state !== 'cancelled' && (
        <p className="reason failed">
          {job.error.message} <code className="code">{job.error.code}</code>
        </p>
      )}
      {error && (
        <p className="reason failed">
          {error.message} <code className="code">{error.code}</code>
        </p>
      )}
    </li>
  );
}

/** A list of jobs, newest first, or a line saying there are none. */
export function JobList({
  jobs,
  showPlugin,
  onChange,
}: {
  readonly jobs: readonly ApiJob[];
  readonly showPlugin: boolean;
  readonly onChange: (job: ApiJob) => void;
}) {
  const { t } = useI18n();
  if (jobs.length === 0) return <p className="placeholder">{t('jobs.none')}</p>;
  return (
    <ul className="jobs">
      {jobs.map((job) => (
        <JobItem key={job.id} job={job} showPlugin={showPlugin} onChange={onChange} />
      ))}
    </ul>
  );
}
