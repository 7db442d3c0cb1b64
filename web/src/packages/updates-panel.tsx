import { useState } from 'react';
import type { ApiAvailableUpdate, ApiInstallPlan } from '../../../src/server/api-types';
import { checkUpdates, updatePlugin } from '../api/packages';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { PlanView } from './plan-view';
import { usePackageWork } from './use-package-work';

/**
 * "Check for updates": the installed plugins the catalog has newer versions of, each with "Update to
 * X", which shows the plan — the permission changes highlighted — before "Accept and update".
 */
export function UpdatesPanel({ onUpdated }: { readonly onUpdated: (id: string) => void }) {
  const { t } = useI18n();
  const [updates, setUpdates] = useState<readonly ApiAvailableUpdate[] | null>(null);
  const [review, setReview] = useState<ApiInstallPlan | null>(null);

  const { busy, error, run, dismiss } = usePackageWork();

  const check = () => run(async () => setUpdates((await checkUpdates()).updates));

  const preview = (id: string) =>
    run(async () => {
      const answer = await updatePlugin(id, { dryRun: true });
      if (answer.status === 'up-to-date') return check();
      setReview(answer.outcomes.at(-1)!.plan);
    });

  const accept = (plan: ApiInstallPlan) =>
    run(async () => {
      const answer = await updatePlugin(plan.id, { consent: true, hash: plan.hash });
      if (answer.status === 'needs-consent') return setReview(answer.outcomes.at(-1)!.plan);
      setReview(null);
      setUpdates((list) => list?.filter((u) => u.id !== plan.id) ?? null);
      onUpdated(plan.id);
    });

  return (
    <section className="updates-panel" aria-label={t('updates.title')}>
      <div className="toolbar">
        <h2>{t('updates.title')}</h2>
        <button type="button" disabled={busy} onClick={check}>
          {t('updates.check')}
        </button>
      </div>
      {error && <ErrorBanner error={error} onDismiss={dismiss} />}
      {review ? (
        <div className="install-review">
          <PlanView plan={review} />
          <div className="toolbar">
            <button type="button" className="primary" disabled={busy} onClick={() => accept(review)}>
              {t('install.acceptUpdate')}
            </button>
            <button type="button" className="quiet" disabled={busy} onClick={() => setReview(null)}>
              {t('install.cancel')}
            </button>
          </div>
        </div>
      ) : (
        updates !== null &&
        (updates.length === 0 ? (
          <p className="placeholder">{t('updates.none')}</p>
        ) : (
          <ul className="updates">
            {updates.map((update) => (
              <li key={update.id} data-update={update.id}>
                {update.id} <span className="version">{update.installed}</span> →{' '}
                <button type="button" disabled={busy} onClick={() => preview(update.id)}>
                  {t('updates.updateTo', { version: update.available })}
                </button>
              </li>
            ))}
          </ul>
        ))
      )}
    </section>
  );
}
