import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** A failure as the server described it: its message, its hint, and its code for searching docs/errors.md. */
export function ErrorBanner({
  error,
  onDismiss,
}: {
  readonly error: ApiError;
  readonly onDismiss?: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="error-banner" role="alert">
      <div>
        <strong>{error.message}</strong>
        {error.hint && <p className="hint">{error.hint}</p>}
        <code className="code">{error.code}</code>
      </div>
      {onDismiss && (
        <button type="button" className="quiet" onClick={onDismiss}>
          {t('error.dismiss')}
        </button>
      )}
    </div>
  );
}
