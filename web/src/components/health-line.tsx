import type { ApiHealthCheck } from '../../../src/server/api-types';
import { useI18n } from '../i18n/i18n';

/** A plugin's last health check, in one line: status, what health() said, when, how long it took. */
export function HealthLine({ check }: { readonly check: ApiHealthCheck | null }) {
  const { t } = useI18n();
  if (!check) return null;
  return (
    <p className="health-line" data-status={check.status}>
      <span className="health-status">{t(`health.status.${check.status}`)}</span>
      {check.message && <span> — {check.message}</span>}
      <span className="health-when">
        {' '}
        {t('health.checked', {
          time: new Date(check.checkedAt).toLocaleTimeString(),
          ms: String(Math.round(check.durationMs)),
        })}
      </span>
    </p>
  );
}
