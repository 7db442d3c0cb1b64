import { useState } from 'react';
import type { JobHandlerContribution } from '../../../src/types';
import { type ApiError, asApiError } from '../api/client';
import { submitJob } from '../api/jobs';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { useJobs } from '../live/use-jobs';
import { JobList } from './job-item';

/**
 * The Jobs section of a plugin's page: each job handler the plugin declares, with a Run button (and
 * its params as JSON when it declares a params schema), then the plugin's jobs, live.
 */
export function PluginJobsSection({
  id,
  handlers,
}: {
  readonly id: string;
  readonly handlers: readonly JobHandlerContribution[];
}) {
  const { t } = useI18n();
  const live = useJobs(id);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section className="card plugin-jobs" aria-labelledby="jobs-title">
      <h2 id="jobs-title">{t('jobs.title')}</h2>
      <ul className="job-handlers">
        {handlers.map((handler) => (
          <HandlerRow
            key={handler.name}
            id={id}
            handler={handler}
            onSubmitted={(job) => {
              live.put(job);
              setError(null);
            }}
            onError={setError}
          />
        ))}
      </ul>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {live.error && <ErrorBanner error={live.error} />}
      {live.loaded && <JobList jobs={live.jobs} showPlugin={false} onChange={live.put} />}
    </section>
  );
}

function HandlerRow({
  id,
  handler,
  onSubmitted,
  onError,
}: {
  readonly id: string;
  readonly handler: JobHandlerContribution;
  readonly onSubmitted: Parameters<typeof JobList>[0]['onChange'];
  readonly onError: (error: ApiError) => void;
}) {
  const { t } = useI18n();
  const [params, setParams] = useState('{}');
  const [busy, setBusy] = useState(false);
  const run = () => {
    let value: unknown;
    try {
      value = JSON.parse(params);
    } catch (failure) {
      onError(asApiError(new Error(t('jobs.badParams', { message: (failure as Error).message }))));
      return;
    }
    setBusy(true);
    submitJob(id, handler.name, value).then(
      (job) => {
        setBusy(false);
        onSubmitted(job);
      },
      (failure: unknown) => {
        setBusy(false);
        onError(asApiError(failure));
      },
    );
  };
  return (
    <li className="job-handler">
      <div>
        <strong>{handler.name}</strong>
        {handler.description && <p className="description">{handler.description}</p>}
      </div>
      {handler.params && (
        <label>
          <span className="visually-hidden">{t('jobs.params', { name: handler.name })}</span>
          <input
            className="job-params"
            value={params}
            spellCheck={false}
            onChange={(event) => setParams(event.target.value)}
            aria-label={t('jobs.params', { name: handler.name })}
          />
        </label>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={run}
        aria-label={t('jobs.runNamed', { name: handler.name })}
      >
        {t('jobs.run')}
      </button>
    </li>
  );
}
