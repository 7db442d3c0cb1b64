import { useState } from 'react';
import type { ApiPluginSummary } from '../../../src/server/api-types';
import type { ApiError } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { LiveIndicator } from '../components/live-indicator';
import { type Translate, useI18n } from '../i18n/i18n';
import { usePluginList } from '../live/use-plugin-list';
import { InstallPanel } from '../packages/install-panel';
import { PackageActions } from '../packages/package-actions';
import { UpdatesPanel } from '../packages/updates-panel';
import { useInstalledPackages } from '../packages/use-installed-packages';
import { permissionWords } from '../plugins/permission-words';
import { PluginRow } from './plugin-row';

/** `/`: every plugin with its state, live, and the switch to enable or disable it. */
export function PluginsPage() {
  const { t } = useI18n();
  const { plugins, error, status, refreshPlugin, showState } = usePluginList();
  const [filter, setFilter] = useState('');
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const shown = plugins?.filter((plugin) => matches(plugin, filter, t)) ?? [];
  const installed = useInstalledPackages(refreshPlugin);
  const onStateKnown = (id: string, state: ApiPluginSummary['state']) => {
    setActionError(null);
    showState(id, state);
    refreshPlugin(id);
  };
  return (
    <section>
      <div className="page-title">
        <h1>{t('plugins.title')}</h1>
        <LiveIndicator status={status} />
      </div>
      {error && <ErrorBanner error={error} />}
      {actionError && <ErrorBanner error={actionError} onDismiss={() => setActionError(null)} />}
      <div className="toolbar">
        <input
          type="search"
          value={filter}
          placeholder={t('plugins.filter')}
          aria-label={t('plugins.filter')}
          onChange={(event) => setFilter(event.target.value)}
        />
        {plugins && (
          <span className="count">{t('plugins.count', { shown: shown.length, total: plugins.length })}</span>
        )}
      </div>
      {plugins === null ? (
        !error && <p className="placeholder">{t('plugins.loading')}</p>
      ) : plugins.length === 0 ? (
        <p className="placeholder">{t('plugins.empty')}</p>
      ) : shown.length === 0 ? (
        <p className="placeholder">{t('plugins.none')}</p>
      ) : (
        <table className="plugins">
          <thead>
            <tr>
              <th scope="col">{t('column.plugin')}</th>
              <th scope="col">{t('column.state')}</th>
              <th scope="col">{t('column.type')}</th>
              <th scope="col">{t('column.runtime')}</th>
              <th scope="col">{t('column.version')}</th>
              <th scope="col">{t('column.trust')}</th>
              <th scope="col">{t('column.permissions')}</th>
              <th scope="col">{t('column.breaker')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('column.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((plugin) => (
              <PluginRow
                key={plugin.id}
                plugin={plugin}
                onStateKnown={onStateKnown}
                onError={setActionError}
                packageActions={
                  installed.has(plugin.id) && (
                    <PackageActions
                      name={plugin.name}
                      installed={installed.get(plugin.id)!}
                      onDone={refreshPlugin}
                      onError={setActionError}
                    />
                  )
                }
              />
            ))}
          </tbody>
        </table>
      )}
      <InstallPanel onInstalled={refreshPlugin} />
      <UpdatesPanel onUpdated={refreshPlugin} />
    </section>
  );
}

/** Every word of the filter appears in the plugin's id, name, type, runtime, version or state. */
function matches(plugin: ApiPluginSummary, filter: string, t: Translate): boolean {
  const text = [
    plugin.id,
    plugin.name,
    plugin.type,
    plugin.runtime,
    plugin.version,
    plugin.state,
    t(`state.${plugin.state}`),
    plugin.trust,
    ...permissionWords(plugin.permissions, t),
  ]
    .join(' ')
    .toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}
