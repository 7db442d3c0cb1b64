import type { PluginState } from '../../../src/server/api-types';
import { useI18n } from '../i18n/i18n';

/** A plugin's lifecycle state as a coloured word (the colour follows `data-state` in styles.css). */
export function StateBadge({ state }: { readonly state: PluginState }) {
  const { t } = useI18n();
  return (
    <span className="badge" data-state={state}>
      {t(`state.${state}`)}
    </span>
  );
}
