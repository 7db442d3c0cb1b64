import type { ApiReloadResult } from '../../../src/server/api-types';
import { useI18n } from '../i18n/i18n';
import { useEventStream } from '../live/use-event-stream';
import { showToast } from './toast-store';

/**
 * Says how each hot reload went (developer mode), on any page: `plugin.reloaded` as a success toast,
 * `plugin.reload_failed` as an error toast with the reason and whether the previous version keeps
 * serving. The panels themselves remount on `plugin.reloaded` (use-ui-contributions.ts); after a failed
 * reload they stay as they are. Renders nothing itself.
 */
export function ReloadToasts(): null {
  const { t } = useI18n();
  useEventStream(['plugin.reloaded', 'plugin.reload_failed'], (topic, payload) => {
    const reload = payload as Partial<ApiReloadResult> | null;
    if (typeof reload?.id !== 'string') return;
    const versions = { from: reload.from ?? '?', to: reload.to ?? '?' };
    if (topic === 'plugin.reloaded') {
      showToast(reload.id, t('reload.done', versions), 'success');
      return;
    }
    const reason = reload.error?.message ?? '';
    const kept = reload.rolledBack ? t('reload.kept', versions) : t('reload.notKept', versions);
    showToast(reload.id, `${t('reload.failed', { ...versions, reason })} ${kept}`, 'error');
  });
  return null;
}
