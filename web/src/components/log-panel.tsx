import { useLayoutEffect, useRef, useState } from 'react';
import type { ApiLogLevel } from '../../../src/server/api-types';
import { useI18n } from '../i18n/i18n';
import type { NumberedLogLine } from '../live/use-plugin-logs';
import { LOG_LEVELS, logLinesShown } from './log-lines-shown';

const time = (at: number) => {
  const date = new Date(at);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
};

/**
 * A plugin's log lines, newest last, of the chosen level and above and matching the search. Stays
 * scrolled to the newest line unless the reader scrolled up to read older ones. Paused, it holds new
 * lines back (counting them) until resumed.
 */
export function LogPanel({
  plugin,
  lines,
  onClear,
}: {
  readonly plugin: string;
  readonly lines: readonly NumberedLogLine[];
  readonly onClear: () => void;
}) {
  const { t } = useI18n();
  const [level, setLevel] = useState<ApiLogLevel>('debug');
  const [search, setSearch] = useState('');
  const [pausedAfter, setPausedAfter] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const { shown, held, filtered } = logLinesShown(lines, { level, search, pausedAfter });
  const paused = pausedAfter !== null;

  useLayoutEffect(() => {
    const element = list.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  });

  return (
    <section id="logs" className="log-panel" aria-labelledby="logs-title">
      <div className="toolbar wrap">
        <h2 id="logs-title">{t('logs.title')}</h2>
        <input
          type="search"
          value={search}
          placeholder={t('logs.search')}
          aria-label={t('logs.search')}
          onChange={(event) => setSearch(event.target.value)}
        />
        <label>
          {t('logs.level')}{' '}
          <select value={level} onChange={(event) => setLevel(event.target.value as ApiLogLevel)}>
            {LOG_LEVELS.map((name) => (
              <option key={name} value={name}>
                {t('logs.levelAtLeast', { level: name })}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          aria-pressed={paused}
          onClick={() => setPausedAfter(paused ? null : (lines.at(-1)?.seq ?? 0))}
        >
          {t(paused ? 'logs.resume' : 'logs.pause')}
        </button>
        <button type="button" className="quiet" onClick={onClear}>
          {t('logs.clear')}
        </button>
        <a href={`/api/plugins/${encodeURIComponent(plugin)}/logs/download`} download>
          {t('logs.download')}
        </a>
      </div>
      {paused && (
        <p className="log-paused" role="status">
          {t('logs.paused', { count: held })}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="placeholder">{t(lines.length === 0 ? 'logs.empty' : 'logs.noneShown')}</p>
      ) : (
        <ol
          className="log"
          role="log"
          ref={list}
          onScroll={(event) => {
            const element = event.currentTarget;
            atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 8;
          }}
        >
          {shown.map((line) => (
            <li key={line.seq} className="log-line" data-level={line.level}>
              <time dateTime={new Date(line.at).toISOString()}>{time(line.at)}</time>
              <span className="level">{line.level}</span>
              <span className="message">{line.message}</span>
              {line.data !== undefined && <code className="data">{JSON.stringify(line.data)}</code>}
            </li>
          ))}
        </ol>
      )}
      {filtered > 0 && <p className="hint">{t('logs.hidden', { count: filtered })}</p>}
    </section>
  );
}
