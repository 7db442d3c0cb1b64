import { useState } from 'react';
import type { ApiInstallAnswer, ApiInstallPlan } from '../../../src/server/api-types';
import { installFrom, uploadPackage } from '../api/packages';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { PlanView } from './plan-view';
import { usePackageWork } from './use-package-work';

type From = { readonly source: string } | { readonly upload: string };

/** The plan shown, what installs it again with consent, and the other outcomes (dependencies). */
interface Review {
  readonly plan: ApiInstallPlan;
  readonly from: From;
}

/**
 * "Install a plugin": a package file (.tgz, .zip) or a source (https URL, catalog name, path on the
 * server). The first request is a dry run that shows the plan (the server keeps an uploaded file);
 * "Install" sends consent for that plan's package hash only, so no file is sent twice.
 */
export function InstallPanel({ onInstalled }: { readonly onInstalled: (id: string) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState('');
  const [review, setReview] = useState<Review | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const { busy, error, run, dismiss } = usePackageWork();

  const reviewPackage = () =>
    run(async () => {
      setDone(null);
      const answer = file
        ? await uploadPackage(file, { dryRun: true })
        : await installFrom({ source: source.trim() }, { dryRun: true });
      const from: From = answer.upload ? { upload: answer.upload } : { source: source.trim() };
      setReview({ plan: lastPlan(answer), from });
    });

  const install = (shown: Review) =>
    run(async () => {
      const answer = await installFrom(shown.from, { consent: true, hash: shown.plan.hash });
      if (answer.status === 'needs-consent') {
        // The package changed since it was shown: show the new plan.
        setReview({ plan: lastPlan(answer), from: shown.from });
        return;
      }
      setReview(null);
      setFile(null);
      setSource('');
      setDone(t('install.done', { name: shown.plan.name, version: shown.plan.version }));
      onInstalled(shown.plan.id);
    });

  return (
    <section className="install-panel" aria-label={t('install.title')}>
      <h2>{t('install.title')}</h2>
      {error && <ErrorBanner error={error} onDismiss={dismiss} />}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {review ? (
        <div className="install-review">
          <PlanView plan={review.plan} />
          <div className="toolbar">
            <button type="button" className="primary" disabled={busy} onClick={() => install(review)}>
              {t(review.plan.previous ? 'install.acceptUpdate' : 'install.accept')}
            </button>
            <button type="button" className="quiet" disabled={busy} onClick={() => setReview(null)}>
              {t('install.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="toolbar wrap">
          <label>
            {t('install.file')}{' '}
            <input
              type="file"
              accept=".tgz,.zip,.gz"
              onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
            />
          </label>
          <label>
            {t('install.source')}{' '}
            <input
              type="text"
              value={source}
              placeholder={t('install.sourcePlaceholder')}
              onChange={(event) => setSource(event.currentTarget.value)}
            />
          </label>
          <button type="button" disabled={busy || (!file && source.trim() === '')} onClick={reviewPackage}>
            {t('install.review')}
          </button>
        </div>
      )}
    </section>
  );
}

/** The plan of the plugin asked for (dependencies come first). */
function lastPlan(answer: ApiInstallAnswer): ApiInstallPlan {
  return (answer.outcomes.find((o) => o.status === 'needs-consent') ?? answer.outcomes.at(-1)!).plan;
}
