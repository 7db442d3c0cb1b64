// `.js` paths: test/unit/web imports this file under Node's rules.
import type { ApiLogLevel, ApiLogLine } from '../../../src/server/api-types.js';

export const LOG_LEVELS: readonly ApiLogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LogView {
  /** Lines of this level and above. */
  readonly level: ApiLogLevel;
  /** Words that must all appear (any case) in the message, its data or its level; empty: any line. */
  readonly search: string;
  /** While paused: the `seq` of the last line shown when the reader paused; later lines wait. */
  readonly pausedAfter: number | null;
}

export interface LogLinesShown<L> {
  readonly shown: readonly L[];
  /** Lines that arrived since the pause, not shown until resumed. */
  readonly held: number;
  /** Lines the level filter or the search hides. */
  readonly filtered: number;
}

/** Which lines the log panel shows, and how many it holds back (paused) or hides (filters). */
export function logLinesShown<L extends ApiLogLine & { readonly seq: number }>(
  lines: readonly L[],
  view: LogView,
): LogLinesShown<L> {
  const floor = LOG_LEVELS.indexOf(view.level);
  const words = view.search.toLowerCase().split(/\s+/).filter(Boolean);
  const shown: L[] = [];
  let held = 0;
  let filtered = 0;
  for (const line of lines) {
    if (view.pausedAfter !== null && line.seq > view.pausedAfter) held++;
    else if (LOG_LEVELS.indexOf(line.level) < floor || !matchesWords(line, words)) filtered++;
    else shown.push(line);
  }
  return { shown, held, filtered };
}

function matchesWords(line: ApiLogLine, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const text =
    `${line.level} ${line.message} ${line.data === undefined ? '' : JSON.stringify(line.data)}`.toLowerCase();
  return words.every((word) => text.includes(word));
}
