import type { ChatExchangeView } from '../api/chat-types';
import type { ApiError } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { ChatTrace } from './chat-trace';

/** One message sent from the console and what came back: the reply and the trace, or the error. */
export interface ChatEntryData {
  readonly key: number;
  readonly sent: string;
  readonly exchange: ChatExchangeView | null;
  readonly error: ApiError | null;
}

export function ChatEntry({ entry }: { readonly entry: ChatEntryData }) {
  const { t } = useI18n();
  const { exchange } = entry;
  return (
    <li className="chat-entry card">
      <p className="chat-sent">
        <span className="muted">{t('console.you')}</span> <code>{entry.sent}</code>
      </p>
      {entry.error ? (
        <ErrorBanner error={entry.error} />
      ) : exchange === null ? (
        <p className="placeholder">{t('console.sending')}</p>
      ) : (
        <>
          <p className="chat-reply">
            <span className="muted">
              {exchange.answeredBy
                ? t('console.answeredBy', { plugin: exchange.answeredBy })
                : t('console.reply')}
            </span>{' '}
            {exchange.response.content}
          </p>
          <ChatTrace steps={exchange.steps} />
          {exchange.logs.length > 0 && (
            <ul className="chat-logs">
              {exchange.logs.map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: log lines in the order they were written
                <li key={index} data-level={line.level}>
                  <span className="muted">{line.plugin}</span> {line.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </li>
  );
}
