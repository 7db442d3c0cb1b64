import { usePluginMessages } from '../bridge/plugin-messages-store';
import { pluginMessage } from '../bridge/plugin-text';
import { useI18n } from '../i18n/i18n';
import { helpParagraphs } from './help-paragraphs';

/** The plugin's `help` message, in the UI's language, as plain paragraphs; nothing when it has none. */
export function HelpPanel({ id }: { readonly id: string }) {
  const { t } = useI18n();
  const paragraphs = helpParagraphs(pluginMessage(usePluginMessages(), id, 'help'));
  if (paragraphs.length === 0) return null;
  return (
    <aside className="help-panel card" aria-labelledby="help-title">
      <h2 id="help-title">{t('help.title')}</h2>
      {paragraphs.map((paragraph, index) => (
        // Paragraphs have no identity of their own; their order is the text's.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <p key={index}>{paragraph}</p>
      ))}
    </aside>
  );
}
