import type { ApiWidget } from '../../../src/server/api-types';
import { pluginName } from '../bridge/plugin-names';
import { ContributionMount } from '../contributions/contribution-mount';
import { Link, pluginPath } from '../routing';

/** One plugin's widget on the dashboard: a card titled with the plugin, its module mounted inside. */
export function WidgetCard({ widget, version }: { readonly widget: ApiWidget; readonly version: number }) {
  return (
    <article className="widget-card card" aria-label={`${pluginName(widget.plugin)} · ${widget.id}`}>
      <header className="widget-title">
        <Link to={pluginPath(widget.plugin)}>{pluginName(widget.plugin)}</Link>
        <span className="muted">{widget.id}</span>
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
