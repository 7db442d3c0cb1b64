import { useI18n } from '../i18n/i18n';

/**
 * A panel or widget that failed (import, `mount`, or rendering), in its own area: which plugin and
 * contribution, the message, and a Retry button. The rest of the page keeps working.
 */
export function ContributionError({
  plugin,
  kind,
  id,
  message,
  onRetry,
}: {
  readonly plugin: string;
  readonly kind: 'panel' | 'widget';
  readonly id: string;
  readonly message: string;
  readonly onRetry: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="contribution-error" role="alert">
      <div>
        <strong>
          {t(kind === 'panel' ? 'contribution.failedPanel' : 'contribution.failedWidget', { plugin, id })}
        </strong>
        <p className="hint">{message}</p>
      </div>
      <button type="button" onClick={onRetry}>
        {t('contribution.retry')}
      </button>
    </div>
  );
}
