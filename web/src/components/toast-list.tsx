import { pluginName } from '../bridge/plugin-names';
import { useI18n } from '../i18n/i18n';
import { dismissToast, useToasts } from '../toasts/toast-store';

/** The toasts plugins sent (`bridge.notify`), bottom right, each with the plugin's name. */
export function ToastList() {
  const { t } = useI18n();
  const toasts = useToasts();
  return (
    <div className="toasts">
      {toasts.map((toast) => (
        <div key={toast.key} className="toast" role="status" data-level={toast.level}>
          <div>
            <strong className="toast-plugin">{pluginName(toast.plugin)}</strong>
            <p>{toast.message}</p>
          </div>
          <button
            type="button"
            className="quiet"
            aria-label={t('toast.dismiss')}
            onClick={() => dismissToast(toast.key)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
