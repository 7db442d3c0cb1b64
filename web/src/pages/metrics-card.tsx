import { useEffect, useState } from 'react';
import type { ApiPluginMetrics } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { getPluginMetrics } from '../api/ui';
import { useI18n } from '../i18n/i18n';

const EVERY_MS = 5000;

/**
 * The plugin's own metrics (`GET /api/plugins/:id/metrics`), read every 5 s while the page is visible
 * (a hidden tab asks nothing), and at once when the plugin's state changes. Nothing is activated to
 * answer: an inactive plugin shows "not active".
 */
export function MetricsCard({ id, state }: { readonly id: string; readonly state: string }) {
  const { t } = useI18n();
  const [metrics, setMetrics] = useState<ApiPluginMetrics | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `state` is not read: a new state (the plugin activated or stopped) is a reason to read at once
  useEffect(() => {
    let stopped = false;
    const read = () => {
      if (document.visibilityState !== 'visible') return;
      getPluginMetrics(id).then(
        (answer) => {
          if (stopped) return;
          setMetrics(answer);
          setError(null);
        },
        (failure: unknown) => {
          if (!stopped) setError(asApiError(failure));
        },
      );
    };
    read();
    const timer = setInterval(read, EVERY_MS);
    document.addEventListener('visibilitychange', read);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', read);
    };
  }, [id, state]);

  const values = metrics?.values;
  return (
    <section className="metrics-card card" aria-labelledby="metrics-title">
      <h2 id="metrics-title">{t('metrics.title')}</h2>
      {error ? (
        <p className="reason failed">
          {error.message} <code className="code">{error.code}</code>
        </p>
      ) : metrics === null ? (
        <p className="placeholder">{t('metrics.loading')}</p>
      ) : values === null || values === undefined ? (
        <p className="placeholder">{t('metrics.inactive')}</p>
      ) : Object.keys(values).length === 0 ? (
        <p className="placeholder">{t('metrics.none')}</p>
      ) : (
        <dl className="metrics">
          {Object.entries(values).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value.toLocaleString()}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
