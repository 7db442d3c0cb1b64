import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One log line of the host or of a plugin (`plugin` is `host` for the host's own lines). */
export interface LogLine {
  readonly plugin: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly data?: unknown;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export interface LogHubOptions {
  /** JSON-lines file (pino format); no file when absent. Created on the first line written. */
  readonly file?: string | undefined;
  /** Lines below this level are dropped; default `info`. */
  readonly level?: LogLevel;
  /** Lines kept in memory per plugin for `tail`; default 200. */
  readonly keepPerPlugin?: number;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

/**
 * Collects the host's and the plugins' log lines: each plugin's recent lines stay in memory (for
 * `tail` and traces), every line goes to listeners (live views) and to a pino JSON-lines file with the
 * plugin id as a field. Writing never throws and never blocks on disk.
 */
export class LogHub {
  readonly #file: string | undefined;
  readonly #keep: number;
  readonly #recent = new Map<string, LogLine[]>();
  readonly #listeners = new Set<(line: LogLine) => void>();
  #level: LogLevel;
  #logger: Logger | undefined;
  #opening: Promise<void> | undefined;
  #waiting: LogLine[] = [];
  #fileFailed = false;

  constructor(options: LogHubOptions = {}) {
    this.#file = options.file;
    this.#level = options.level ?? 'info';
    this.#keep = options.keepPerPlugin ?? 200;
  }

  get level(): LogLevel {
    return this.#level;
  }

  setLevel(level: LogLevel): void {
    this.#level = level;
    if (this.#logger) this.#logger.level = level;
  }

  write(plugin: string, level: LogLevel, message: string, data?: unknown): void {
    if (RANK[level] < RANK[this.#level]) return;
    const line: LogLine =
      data === undefined
        ? { plugin, level, message, at: Date.now() }
        : { plugin, level, message, data, at: Date.now() };
    let lines = this.#recent.get(plugin);
    if (!lines) {
      lines = [];
      this.#recent.set(plugin, lines);
    }
    lines.push(line);
    if (lines.length > this.#keep) lines.splice(0, lines.length - this.#keep);
    for (const listener of this.#listeners) {
      try {
        listener(line);
      } catch {
        // A failing listener must not break logging for everyone else.
      }
    }
    this.#toFile(line);
  }

  /** The last `count` lines of `plugin` (all kept lines by default), oldest first. */
  tail(plugin: string, count = this.#keep): LogLine[] {
    const lines = this.#recent.get(plugin) ?? [];
    return lines.slice(Math.max(0, lines.length - count));
  }

  onLine(listener: (line: LogLine) => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Resolves once every line written so far is on disk. */
  async flush(): Promise<void> {
    await this.#opening;
    const logger = this.#logger;
    if (!logger) return;
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }

  #toFile(line: LogLine): void {
    if (!this.#file || this.#fileFailed) return;
    if (this.#logger) {
      this.#emit(this.#logger, line);
      return;
    }
    // The file logger (pino) is loaded on the first line, so commands that log nothing never load it.
    this.#waiting.push(line);
    this.#opening ??= this.#open(this.#file);
  }

  async #open(file: string): Promise<void> {
    try {
      const { default: pino } = await import('pino');
      mkdirSync(dirname(file), { recursive: true });
      // Synchronous writes: a line is in the file once write() returns, so flush() and a crash right
      // after lose nothing (sonic-boom's asynchronous mode calls flush back before writes in flight land).
      const logger = pino(
        { level: this.#level, base: undefined },
        pino.destination({ dest: file, sync: true, mkdir: true }),
      );
      this.#logger = logger;
      for (const line of this.#waiting) this.#emit(logger, line);
    } catch {
      this.#fileFailed = true;
    }
    this.#waiting = [];
  }

  #emit(logger: Logger, line: LogLine): void {
    try {
      logger[line.level]({ plugin: line.plugin, data: line.data }, line.message);
    } catch {
      this.#fileFailed = true;
    }
  }
}
