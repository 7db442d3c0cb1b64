import type { ReactNode } from 'react';
import type { ApiPluginSummary } from '../../../src/server/api-types';
import type { ApiError } from '../api/client';
import { PluginToggle } from '../components/plugin-toggle';
import { StateBadge } from '../components/state-badge';
import { TrustBadge } from '../components/trust-badge';
import { useI18n } from '../i18n/i18n';
import { permissionWords } from '../plugins/permission-words';
import { Link, pluginPath } from '../routing';

/** One plugin of the list; a plugin in error is greyed, and any reason it has is shown under its name. */
export function PluginRow({
  plugin,
  onStateKnown,
  onError,
  packageActions,
}: {
  readonly plugin: ApiPluginSummary;
  /** Uninstall and roll back, for a plugin installed from a package. */
  readonly packageActions?: ReactNode;
  readonly onStateKnown: (id: string, state: ApiPluginSummary['state']) => void;
  readonly onError: (error: ApiError) => void;
}) {
  const { t } = useI18n();
  return (
    <tr className={plugin.state === 'error' ? 'plugin-row failed' : 'plugin-row'} data-plugin={plugin.id}>
      <td>
        <Link to={pluginPath(plugin.id)} className="plugin-name">
          {plugin.name}
        </Link>
        {plugin.name !== plugin.id && <span className="plugin-id">{plugin.id}</span>}
        {plugin.reason && <p className="reason">{plugin.reason}</p>}
        {plugin.state === 'error' && (
          <Link to={`${pluginPath(plugin.id)}#logs`} className="see-logs">
            {t('plugins.seeLogs')}
          </Link>
        )}
      </td>
      <td>
        <StateBadge state={plugin.state} />
      </td>
      <td>{plugin.type}</td>
      <td>{plugin.runtime ?? '—'}</td>
      <td>{plugin.version ?? '—'}</td>
      <td>
        <TrustBadge trust={plugin.trust} dev={plugin.dev_unsigned} />
      </td>
      <td>
        <ul className="permissions">
          {permissionWords(plugin.permissions, t).map((words) => (
            <li key={words}>{words}</li>
          ))}
        </ul>
      </td>
      <td>
        <span className="breaker" data-breaker={plugin.breaker}>
          {t(`breaker.${plugin.breaker}`)}
        </span>
      </td>
      <td>
        <PluginToggle plugin={plugin} onDone={(state) => onStateKnown(plugin.id, state)} onError={onError} />
        {packageActions}
      </td>
    </tr>
  );
}
