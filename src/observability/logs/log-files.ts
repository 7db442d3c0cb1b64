import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LEVEL_RANK, type LogLevel } from './log-levels.js';

/** One log line of the host or of a plugin (`plugin` is `host` for the host's own lines). */
export interface LogLine {
  readonly plugin: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly data?: unknown;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

/** Which lines a reader keeps: at least `level`, containing `text` (case-insensitive), the last `tail`. */
export interface LogFilter {
  readonly level?: LogLevel | undefined;
  readonly text?: string | undefined;
  readonly tail?: number | undefined;
}

/** The file a plugin's lines go to: `<dir>/<id>.log` (rotated ones: `<id>.log.1`, `.2`…, `.1` newest). */
export function pluginLogFile(dir: string, id: string): string {
  return join(dir, `${id}.log`);
}

/** The prefix of each message in a plugin's files. */
export function pluginPrefix(id: string): string {
  return `[plugin:${id}] `;
}

/** A plugin's log files that exist, oldest first (the highest rotation number first, the live file last). */
export async function pluginLogFiles(dir: string, id: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const base = `${id}.log`;
  const rotated = names
    .filter((n) => n.startsWith(`${base}.`) && /^\d+$/.test(n.slice(base.length + 1)))
    .map((n) => Number(n.slice(base.length + 1)))
    .sort((a, b) => b - a)
    .map((n) => join(dir, `${base}.${n}`));
  return names.includes(base) ? [...rotated, join(dir, base)] : rotated;
}

const LEVEL_OF = new Map<number, LogLevel>(
  Object.entries(LEVEL_RANK).map(([level, rank]) => [rank, level as LogLevel]),
);

/** A line of a log file (pino JSON) as a LogLine; undefined for anything else (a torn last line). */
export function parseLogLine(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const raw = JSON.parse(text) as {
      level?: number;
      time?: number;
      plugin?: string;
      msg?: string;
      data?: unknown;
    };
    const level = LEVEL_OF.get(raw.level ?? 0);
    if (level === undefined || typeof raw.plugin !== 'string') return undefined;
    const prefix = pluginPrefix(raw.plugin);
    const msg = raw.msg ?? '';
    const message = msg.startsWith(prefix) ? msg.slice(prefix.length) : msg;
    const at = raw.time ?? 0;
    return raw.data === undefined
      ? { plugin: raw.plugin, level, message, at }
      : { plugin: raw.plugin, level, message, data: raw.data, at };
  } catch {
    return undefined;
  }
}

/** Whether `line` passes `filter`'s level and text (not its tail). */
export function matchesFilter(line: LogLine, filter: LogFilter): boolean {
  if (filter.level !== undefined && LEVEL_RANK[line.level] < LEVEL_RANK[filter.level]) return false;
  if (filter.text === undefined || filter.text === '') return true;
  const needle = filter.text.toLowerCase();
  return (
    line.message.toLowerCase().includes(needle) ||
    (line.data !== undefined && JSON.stringify(line.data).toLowerCase().includes(needle))
  );
}

/**
 * The lines of a plugin's log files that pass `filter`, oldest first: the last `tail` of them when
 * given (files are read from the newest back, and reading stops once enough lines are found).
 */
export async function readPluginLog(dir: string, id: string, filter: LogFilter = {}): Promise<LogLine[]> {
  const files = await pluginLogFiles(dir, id);
  const chunks: LogLine[][] = [];
  let found = 0;
  for (const file of files.reverse()) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const lines: LogLine[] = [];
    for (const raw of text.split('\n')) {
      const line = parseLogLine(raw);
      if (line && matchesFilter(line, filter)) lines.push(line);
    }
    chunks.unshift(lines);
    found += lines.length;
    if (filter.tail !== undefined && found >= filter.tail) break;
  }
  const all = chunks.flat();
  return filter.tail === undefined ? all : all.slice(Math.max(0, all.length - filter.tail));
}
