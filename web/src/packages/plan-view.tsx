import type { ApiInstallPlan } from '../../../src/server/api-types';
import { TrustBadge } from '../components/trust-badge';
import { useI18n } from '../i18n/i18n';

/**
 * What an install or update would do, before consent: the version change, who signed the package
 * (signer and key fingerprint) or why it counts as unsigned, everything a new plugin may touch or, on
 * update, the permissions that change (added and widened ones highlighted), and the reasons consent
 * is asked for. The permission sentences are the server's (docs/permissions.md words).
 */
export function PlanView({ plan }: { readonly plan: ApiInstallPlan }) {
  const { t } = useI18n();
  return (
    <div className="install-plan" data-plan={plan.id}>
      <h3>
        {plan.name} <span className="version">{plan.version}</span>
      </h3>
      <p className="muted">
        {plan.previous
          ? t(`install.action.${plan.action}`, { from: plan.previous.version, to: plan.version })
          : t('install.action.install', { from: '', to: plan.version })}
        {' · '}
        {plan.runtime}
      </p>
      <dl className="facts">
        <dt>{t('install.trust')}</dt>
        <dd>
          <TrustBadge trust={plan.trust} />{' '}
          {plan.signature ? (
            <span className="signer">
              {t('install.signedBy', { signer: plan.signature.signer })}{' '}
              <code className="fingerprint">{plan.signature.fingerprint}</code>
            </span>
          ) : (
            <span className="unsigned-warning" role="note">
              {t('install.unsigned', { reason: plan.unsigned ?? '' })}
            </span>
          )}
        </dd>
        <dt>{plan.previous ? t('install.changes') : t('install.permissions')}</dt>
        <dd>
          {plan.previous ? (
            plan.changes.length === 0 ? (
              <span className="muted">{t('install.noChange')}</span>
            ) : (
              <ul className="permission-changes">
                {plan.changes.map((change) => (
                  <li
                    key={change.permission}
                    data-change={change.change}
                    className={
                      change.change === 'added' || change.change === 'widened' ? 'wider' : 'narrower'
                    }
                  >
                    <strong>{t(`install.change.${change.change}`)}</strong> {change.words}
                  </li>
                ))}
              </ul>
            )
          ) : (
            <ul className="permissions">
              {plan.permissions.map((words) => (
                <li key={words}>{words}</li>
              ))}
            </ul>
          )}
        </dd>
        {plan.missing.length > 0 && (
          <>
            <dt>{t('install.missing')}</dt>
            <dd>{plan.missing.map((d) => `${d.id} ${d.range}`).join(', ')}</dd>
          </>
        )}
      </dl>
      {plan.consent.length > 0 && (
        <div className="consent-reasons" role="note">
          <strong>{t('install.consentNeeded')}</strong>
          <ul>
            {plan.consent.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
