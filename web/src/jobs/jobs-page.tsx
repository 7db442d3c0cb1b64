import { ErrorBanner } from '../components/error-banner';
import { LiveIndicator } from '../components/live-indicator';
import { useI18n } from '../i18n/i18n';
import { useJobs } from '../live/use-jobs';
import { JobList } from './job-item';

/** `/jobs`: the recent jobs of every plugin, newest first, live. */
export function JobsPage() {
  const { t } = useI18n();
  const live = useJobs();
  return (
    <section>
      <div className="page-title">
        <h1>{t('jobs.pageTitle')}</h1>
        <LiveIndicator status={live.status} />
      </div>
      {live.error && <ErrorBanner error={live.error} />}
      {live.loaded ? (
        <JobList jobs={live.jobs} showPlugin onChange={live.put} />
      ) : (
        <p className="placeholder">{t('jobs.loading')}</p>
      )}
    </section>
  );
}
