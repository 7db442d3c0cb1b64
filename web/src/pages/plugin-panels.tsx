import { useState } from 'react';
import type { ApiPanel } from '../../../src/server/api-types';
import { usePluginMessages } from '../bridge/plugin-messages-store';
import { pluginMessage } from '../bridge/plugin-text';
import { ContributionMount } from '../contributions/contribution-mount';
import { useI18n } from '../i18n/i18n';

/**
 * The plugin's panels: one shown at a time, with a tab bar when there are several. Only the active
 * panel is mounted; the others are imported when first chosen.
 */
export function PluginPanels({
  id,
  panels,
  version,
}: {
  readonly id: string;
  readonly panels: readonly ApiPanel[];
  readonly version: number;
}) {
  const { t } = useI18n();
  const messages = usePluginMessages();
  const [chosen, setChosen] = useState<string | null>(null);
  const active = panels.find((panel) => panel.id === chosen) ?? panels[0];
  if (active === undefined) return null;
  const title = (panel: ApiPanel) =>
    pluginMessage(messages, id, panel.titleKey ?? `panels.${panel.id}`) ?? panel.id;
  const tabId = (panel: ApiPanel) => `tab-${id}-${panel.id}`;
  return (
    <section className="plugin-panels" aria-label={t('panels.title')}>
      {panels.length > 1 && (
        <div className="tabs" role="tablist">
          {panels.map((panel) => (
            <button
              key={panel.id}
              id={tabId(panel)}
              type="button"
              role="tab"
              aria-selected={panel === active}
              className={panel === active ? 'tab active' : 'tab'}
              onClick={() => setChosen(panel.id)}
            >
              {title(panel)}
            </button>
          ))}
        </div>
      )}
      <div
        className="panel-area card"
        {...(panels.length > 1 ? { role: 'tabpanel', 'aria-labelledby': tabId(active) } : {})}
      >
        <ContributionMount
          key={active.id}
          plugin={id}
          kind="panel"
          id={active.id}
          module={active.module}
          version={version}
        />
      </div>
    </section>
  );
}
