import type { ApiConfigChange } from '../../../src/server/api-types';
import { useI18n } from '../i18n/i18n';

/** `undefined` (a key not set before) reads as "not set"; everything else as JSON. */
function shown(value: unknown, unset: string): string {
  return value === undefined ? unset : JSON.stringify(value);
}

/** The keys a config change touches: `key: from → to`, one a line. */
export function ChangeList({ changes }: { readonly changes: readonly ApiConfigChange[] }) {
  const { t } = useI18n();
  if (changes.length === 0) return <p className="muted">{t('settings.noChanges')}</p>;
  return (
    <ul className="change-list">
      {changes.map((change) => (
        <li key={change.key}>
          <code>{change.key}</code>: {shown(change.from, t('settings.unset'))} →{' '}
          {shown(change.to, t('settings.unset'))}
        </li>
      ))}
    </ul>
  );
}
