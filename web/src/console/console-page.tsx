import { type FormEvent, useRef, useState } from 'react';
import { sendChat } from '../api/chat';
import { asApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { ChatEntry, type ChatEntryData } from './chat-entry';

/** Exchanges kept on the page; older ones leave. */
const KEEP = 50;

/**
 * `/console`: sends a message, or a `/command`, through the chat hooks (`POST /api/chat`) and shows
 * each exchange, newest first: the reply and which plugin did what at each hook.
 */
export function ConsolePage() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [entries, setEntries] = useState<readonly ChatEntryData[]>([]);
  const counter = useRef(0);

  const update = (key: number, change: Partial<ChatEntryData>) =>
    setEntries((current) => current.map((entry) => (entry.key === key ? { ...entry, ...change } : entry)));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const sent = text.trim();
    if (sent === '') return;
    const key = ++counter.current;
    setEntries((current) => [{ key, sent, exchange: null, error: null }, ...current].slice(0, KEEP));
    setText('');
    sendChat(sent).then(
      (exchange) => update(key, { exchange }),
      (failure: unknown) => update(key, { error: asApiError(failure) }),
    );
  };

  return (
    <section>
      <div className="page-title">
        <h1>{t('console.title')}</h1>
      </div>
      <p className="description">{t('console.intro')}</p>
      <form className="console-form toolbar" onSubmit={onSubmit}>
        <input
          type="text"
          value={text}
          placeholder={t('console.placeholder')}
          aria-label={t('console.message')}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="primary" disabled={text.trim() === ''}>
          {t('console.send')}
        </button>
      </form>
      {entries.length === 0 ? (
        <p className="placeholder">{t('console.empty')}</p>
      ) : (
        <ol className="chat-history" aria-label={t('console.history')}>
          {entries.map((entry) => (
            <ChatEntry key={entry.key} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}
