import { useI18n } from '../i18n/i18n';
import type { StreamStatus } from '../live/event-stream';

const LABELS = {
  connected: 'live.connected',
  connecting: 'live.connecting',
  disconnected: 'live.disconnected',
} as const;

/** Whether the page receives live events right now. */
export function LiveIndicator({ status }: { readonly status: StreamStatus }) {
  const { t } = useI18n();
  return (
    <span className="live" data-status={status}>
      {t(LABELS[status])}
    </span>
  );
}
