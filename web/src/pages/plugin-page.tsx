import { useEffect, useState } from 'react';
import type { ApiLogLine, PluginStateChange } from '../../../src/server/api-types';
import type { ApiError } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { HealthLine } from '../components/health-line';
import { LiveIndicator } from '../components/live-indicator';
import { LogPanel } from '../components/log-panel';
import { PluginToggle } from '../components/plugin-toggle';
import { StateBadge } from '../components/state-badge';
import { useUiContributions } from '../contributions/use-ui-contributions';
import { useI18n } from '../i18n/i18n';
import { PluginJobsSection } from '../jobs/plugin-jobs-section';
import { useEventStream } from '../live/use-event-stream';
import { usePluginDetails } from '../live/use-plugin-details';
import { usePluginLogs } from '../live/use-plugin-logs';
import { Link } from '../routing';
import { SettingsSection } from '../settings/settings-section';
import { HelpPanel } from './help-panel';
import { MetricsCard } from './metrics-card';
import { PluginFacts } from './plugin-facts';
import { PluginPanels } from './plugin-panels';

/**
 * `/plugins/<id>`: one plugin's details, its panels (tabs), its help and metrics beside them, its
 * settings (when it has a config_schema) and its live log.
 */
export function PluginPage({ id }: { readonly id: string }) {
  const { t } = useI18n();
  const { details, error, reload } = usePluginDetails(id);
  const logs = usePluginLogs(id);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const contributions = useUiContributions();
  const panels = contributions.ui?.panels.filter((panel) => panel.plugin === id) ?? [];
  const problems = contributions.ui?.problems.filter((problem) => problem.plugin === id) ?? [];

  const onEvent = (topic: string, payload: unknown) => {
    if ((topic === 'plugin.state' || topic === 'plugin.health') && (payload as PluginStateChange).id === id)
      reload();
    else if (topic === 'plugin.log' && (payload as ApiLogLine).plugin === id) logs.add(payload as ApiLogLine);
  };
  const status = useEventStream(['plugin.state', 'plugin.health', 'plugin.log'], onEvent, () => {
    reload();
    logs.reload();
  });
  // Shown at once, not only when the socket is ready: a refused socket must not hide the page.
  useEffect(() => reload(), [reload]);
  // `#logs` (the plugins list's "see its logs"): once the details above the log are shown. What loads
  // later above it (the settings form) does not move it away: the browser anchors the scroll.
  const loaded = details !== null;
  useEffect(() => {
    if (loaded && location.hash === '#logs') document.getElementById('logs')?.scrollIntoView();
  }, [loaded]);

  if (error?.status === 404 || (error && !details)) {
    return (
      <section>
        <Link to="/">← {t('plugin.back')}</Link>
        <ErrorBanner error={error} />
      </section>
    );
  }
  return (
    <section>
      <Link to="/">← {t('plugin.back')}</Link>
      {details === null ? (
        <p className="placeholder">{t('plugin.loading')}</p>
      ) : (
        <>
          <div className="page-title">
            <h1>{details.name}</h1>
            {details.version && <span className="version">{details.version}</span>}
            <StateBadge state={details.state} />
            <LiveIndicator status={status} />
            <span className="spacer" />
            <PluginToggle plugin={details} onDone={() => reload()} onError={setActionError} />
          </div>
          {error && <ErrorBanner error={error} />}
          {actionError && <ErrorBanner error={actionError} onDismiss={() => setActionError(null)} />}
          {details.reason && (
            <p className={details.state === 'error' ? 'reason failed' : 'reason'}>{details.reason}</p>
          )}
          <HealthLine check={details.healthCheck} />
          {details.description && <p className="description">{details.description}</p>}
          {problems.map((problem) => (
            <p key={problem.contribution} className="reason failed">
              {problem.contribution}: {problem.message}
            </p>
          ))}
          <div className="plugin-layout">
            <div className="plugin-main">
              {panels.length > 0 && (
                <PluginPanels id={id} panels={panels} version={contributions.versions[id] ?? 0} />
              )}
              {(details.contributes?.jobs.handlers.length ?? 0) > 0 && (
                <PluginJobsSection id={id} handlers={details.contributes!.jobs.handlers} />
              )}
              <PluginFacts details={details} />
              <SettingsSection key={id} id={id} />
            </div>
            <div className="plugin-aside">
              <HelpPanel id={id} />
              {details.contributes?.metrics.enabled && <MetricsCard id={id} state={details.state} />}
            </div>
          </div>
        </>
      )}
      {logs.error && <ErrorBanner error={logs.error} />}
      <LogPanel plugin={id} lines={logs.lines} onClear={logs.clear} />
    </section>
  );
}
