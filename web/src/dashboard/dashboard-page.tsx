import { useEffect, useState } from 'react';
import type { ApiWidget } from '../../../src/server/api-types';
import { listPlugins } from '../api/plugins';
import { rememberPluginName } from '../bridge/plugin-names';
import { ErrorBanner } from '../components/error-banner';
import { LiveIndicator } from '../components/live-indicator';
import { useUiContributions } from '../contributions/use-ui-contributions';
import { useI18n } from '../i18n/i18n';
import { useStreamStatus } from '../live/use-event-stream';
import { WidgetCard } from './widget-card';
import { widgetColumns } from './widget-columns';

/**
 * `/dashboard`: the plugins' widgets in two columns (`dashboard.main`, `dashboard.right_column`; one
 * column on a narrow screen). Widgets are imported when the dashboard is opened, not before.
 */
export function DashboardPage() {
  const { t } = useI18n();
  const { ui, error, versions } = useUiContributions();
  const status = useStreamStatus();
  const [, setNamesKnown] = useState(false);
  useEffect(() => {
    // Names for the cards' titles; ids are shown until then (or if this fails).
    listPlugins().then(
      (plugins) => {
        for (const plugin of plugins) rememberPluginName(plugin.id, plugin.name);
        setNamesKnown(true);
      },
      () => {},
    );
  }, []);

  const columns = widgetColumns(ui?.widgets ?? []);
  const column = (widgets: readonly ApiWidget[], name: string) => (
    <div className="dashboard-column" data-mount-point={name}>
      {widgets.map((widget) => (
        <WidgetCard
          key={`${widget.plugin}/${widget.id}`}
          widget={widget}
          version={versions[widget.plugin] ?? 0}
        />
      ))}
    </div>
  );
  return (
    <section>
      <div className="page-title">
        <h1>{t('dashboard.title')}</h1>
        <LiveIndicator status={status} />
      </div>
      {error && <ErrorBanner error={error} />}
      {ui === null ? (
        !error && <p className="placeholder">{t('dashboard.loading')}</p>
      ) : columns.main.length + columns.right.length === 0 ? (
        <p className="placeholder">{t('dashboard.empty')}</p>
      ) : (
        <div className="dashboard">
          {column(columns.main, 'dashboard.main')}
          {column(columns.right, 'dashboard.right_column')}
        </div>
      )}
      {columns.unknown.length > 0 && (
        <p className="hint">
          {t('dashboard.unknownMountPoints', {
            widgets: columns.unknown.map((w) => `${w.plugin}/${w.id} (${w.mountPoint})`).join(', '),
          })}
        </p>
      )}
    </section>
  );
}
