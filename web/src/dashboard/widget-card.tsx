import type { ApiWidget } from '../../../src/server/api-types';
import { usePluginMessages } from '../bridge/plugin-messages-store';
import { pluginName } from '../bridge/plugin-names';
import { pluginMessage } from '../bridge/plugin-text';
import { ContributionMount } from '../contributions/contribution-mount';
import { Link, pluginPath } from '../routing';

/**
 * One plugin's widget on the dashboard: a card titled with the plugin and the widget's title (the
 * plugin's message `widgets.<id>`, else its id), its module mounted inside.
 */
export function WidgetCard({ widget, version }: { readonly widget: ApiWidget; readonly version: number }) {
  const title = pluginMessage(usePluginMessages(), widget.plugin, `widgets.${widget.id}`) ?? widget.id;
  return (
    <article className="widget-card card" aria-label={`${pluginName(widget.plugin)} · ${title}`}>
      <header className="widget-title">
        <Link to={pluginPath(widget.plugin)}>{pluginName(widget.plugin)}</Link>
        <span className="muted">{title}</span>
      </header>
      <ContributionMount
        plugin={widget.plugin}
        kind="widget"
        id={widget.id}
        module={widget.module}
        version={version}
      />
    </article>
  );
}
