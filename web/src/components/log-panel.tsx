import { useLayoutEffect, useRef, useState } from 'react';
import type { ApiLogLevel } from '../../../src/server/api-types';
import { useI18n } from '../i18n/i18n';
import type { NumberedLogLine } from '../live/use-plugin-logs';

const LEVELS: readonly ApiLogLevel[] = ['debug', 'info', 'warn', 'error'];

const time = (at: number) => {
  const date = new Date(at);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
};

/**
 * Log lines, newest last, of the chosen level and above. Stays scrolled to the newest line unless the
 * reader scrolled up to read older ones.
 */
export function LogPanel({
  lines,
  onClear,
}: {
  readonly lines: readonly NumberedLogLine[];
  readonly onClear: () => void;
}) {
  const { t } = useI18n();
  const [level, setLevel] = useState<ApiLogLevel>('debug');
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const floor = LEVELS.indexOf(level);
  const shown = lines.filter((line) => LEVELS.indexOf(line.level) >= floor);

  useLayoutEffect(() => {
    const element = list.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  });

  return (
    <section className="log-panel" aria-labelledby="logs-title">
      <div className="toolbar">
        <h2 id="logs-title">{t('logs.title')}</h2>
        <label>
          {t('logs.level')}{' '}
          <select value={level} onChange={(event) => setLevel(event.target.value as ApiLogLevel)}>
            {LEVELS.map((name) => (
              <option key={name} value={name}>
                {t('logs.levelAtLeast', { level: name })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="quiet" onClick={onClear}>
          {t('logs.clear')}
        </button>
      </div>
      {shown.length === 0 ? (
        <p className="placeholder">{t('logs.empty')}</p>
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
      {shown.length < lines.length && (
        <p className="hint">{t('logs.hidden', { count: lines.length - shown.length })}</p>
      )}
    </section>
  );
}
