import { useI18n } from '../i18n/i18n';
import { useHostHealth } from '../live/use-host-health';
import { Link } from '../routing';

/** Under the header while the host is degraded: its mode, and a link to each system plugin at fault. */
export function DegradedBanner() {
  const { t } = useI18n();
  const health = useHostHealth();
  if (health?.status !== 'degraded') return null;
  return (
    <div className="degraded-banner" role="alert">
      {/* The mode reads `degraded: <id> — <message>`; the word is already in bold before it. */}
      <strong>{t('health.degraded')}</strong>{' '}
      <span className="mode">{health.mode.replace(/^degraded: /, '')}</span>
      {health.degradedBy.map((plugin) => (
        <Link key={plugin.id} to={`/plugins/${encodeURIComponent(plugin.id)}`}>
          {t('health.see', { id: plugin.id })}
        </Link>
      ))}
    </div>
  );
}
