import { useState } from 'react';
import type { ApiPluginSummary } from '../../../src/server/api-types';
import { type ApiError, asApiError } from '../api/client';
import { setPluginEnabled } from '../api/plugins';
import { useI18n } from '../i18n/i18n';

/**
 * Enables a disabled plugin, disables any other. The server's answer gives the new state at once; the
 * `plugin.state` events that follow (the plugin's dependents too) update the rest.
 */
export function PluginToggle({
  plugin,
  onDone,
  onError,
}: {
  readonly plugin: ApiPluginSummary;
  readonly onDone: (state: ApiPluginSummary['state']) => void;
  readonly onError: (error: ApiError) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const enable = plugin.state === 'disabled';
  const toggle = () => {
    setBusy(true);
    setPluginEnabled(plugin.id, enable)
      .then(
        (result) => onDone(result.state),
        (failure: unknown) => onError(asApiError(failure)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <button
      type="button"
      className={enable ? 'primary' : undefined}
      disabled={busy}
      aria-label={t(enable ? 'action.enableNamed' : 'action.disableNamed', { name: plugin.name })}
      onClick={toggle}
    >
      {t(enable ? 'action.enable' : 'action.disable')}
    </button>
  );
}
