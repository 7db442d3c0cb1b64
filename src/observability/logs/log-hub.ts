import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { type LogLine, pluginLogFile, pluginPrefix } from './log-files.js';
import { LEVEL_RANK, type LogLevel, type PluginLevelState, PluginLevels } from './log-levels.js';
import { RotatingFile, type RotationOptions } from './rotating-file.js';

export interface LogHubOptions {
  /** The global JSON-lines file (pino format): the host's lines, and plugins' lines of level info and above. */
  readonly file?: string | undefined;
  /** The folder of per-plugin files (`<id>.log`, rotated by size); none when absent. */
  readonly pluginDir?: string | undefined;
  /** The global level; default `info`. */
  readonly level?: LogLevel;
  /** Lines kept in memory per plugin for `tail`; default 200. */
  readonly keepPerPlugin?: number;
  /** Rotation of the per-plugin files; default 10 MiB, 5 files kept. */
  readonly rotation?: RotationOptions;
  /** Outside developer mode (the default), the global level is the floor of every plugin's level. */
  readonly developerMode?: boolean;
}

const DEFAULT_ROTATION: RotationOptions = { maxBytes: 10 * 1024 * 1024, keep: 5 };
type Pino = typeof import('pino').default;

/**
 * Collects the host's and the plugins' log lines. Each plugin has its level (PluginLevels) and its own
 * pino logger writing `[plugin:<id>]` lines to `<pluginDir>/<id>.log`, rotated by size (RotatingFile);
 * lines of level info and above also go to the global file with the plugin id as a field. Each plugin's
 * recent lines stay in memory (live views, traces) and every line goes to listeners. Writing never
 * throws and never waits: pino is loaded with the first line (commands that log nothing never load
 * it) and files are written synchronously, so a line is on disk once written and a crash loses none.
 */
export class LogHub {
  readonly #file: string | undefined;
  readonly #pluginDir: string | undefined;
  readonly #keep: number;
  readonly #recent = new Map<string, LogLine[]>();
  readonly #listeners = new Set<(line: LogLine) => void>();
  readonly #levels: PluginLevels;
  readonly #files = new Map<string, { file: RotatingFile; logger: Logger }>();
  #rotation: RotationOptions;
  #developerMode: boolean;
  #pino: Pino | undefined;
  #global: Logger | undefined;
  #opening: Promise<void> | undefined;
  #waiting: LogLine[] = [];
  #fileFailed = false;

  constructor(options: LogHubOptions = {}) {
    this.#file = options.file;
    this.#pluginDir = options.pluginDir;
    this.#keep = options.keepPerPlugin ?? 200;
    this.#rotation = options.rotation ?? DEFAULT_ROTATION;
    this.#levels = new PluginLevels((id) => this.write(id, 'info', 'debug period ended; back to its level'));
    this.#developerMode = options.developerMode ?? false;
    this.#levels.configure(options.level ?? 'info', this.#developerMode);
  }

  /** The global level. */
  get level(): LogLevel {
    return this.#levels.global;
  }

  setLevel(level: LogLevel): void {
    this.configure({ level });
  }

  /** Applies jovian.yaml: the global level, developer mode, rotation of files opened from now on. */
  configure(options: { level?: LogLevel; developerMode?: boolean; rotation?: RotationOptions }): void {
    this.#developerMode = options.developerMode ?? this.#developerMode;
    this.#levels.configure(options.level ?? this.#levels.global, this.#developerMode);
    if (options.rotation) this.#rotation = options.rotation;
  }

  /** Sets a plugin's level (null: it follows the global level again). */
  setPluginLevel(id: string, level: LogLevel | null): PluginLevelState {
    this.#levels.set(id, level);
    return this.#levels.state(id);
  }

  /** Logs `id` at debug level for `ms`, whatever its level and the floor; then back to its level. */
  debugFor(id: string, ms: number): PluginLevelState {
    const until = this.#levels.debugFor(id, ms);
    this.write(id, 'info', `debug period until ${until.toISOString()}`);
    return this.#levels.state(id);
  }

  /** Ends a running debug period now. */
  endDebug(id: string): PluginLevelState {
    if (this.#levels.endDebug(id)) this.write(id, 'info', 'debug period ended; back to its level');
    return this.#levels.state(id);
  }

  levelOf(id: string): PluginLevelState {
    return this.#levels.state(id);
  }

  /** Where `id`'s lines are written, when the hub writes per-plugin files. */
  pluginFile(id: string): string | undefined {
    return this.#pluginDir === undefined ? undefined : pluginLogFile(this.#pluginDir, id);
  }

  write(plugin: string, level: LogLevel, message: string, data?: unknown): void {
    if (LEVEL_RANK[level] < this.#levels.rankOf(plugin)) return;
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
    this.#toFiles(line);
  }

  /** The last `count` lines of `plugin` kept in memory (all by default), oldest first. */
  tail(plugin: string, count = this.#keep): LogLine[] {
    const lines = this.#recent.get(plugin) ?? [];
    return lines.slice(Math.max(0, lines.length - count));
  }

  onLine(listener: (line: LogLine) => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Resolves once every line written so far is on disk (files are written synchronously once open). */
  async flush(): Promise<void> {
    await this.#opening;
  }

  /** Closes the per-plugin files (they are opened again by the next line). */
  close(): void {
    for (const { file } of this.#files.values()) {
      try {
        file.close();
      } catch {
        // Closing is best effort: the lines are already written.
      }
    }
    this.#files.clear();
  }

  #toFiles(line: LogLine): void {
    if (this.#fileFailed || (this.#file === undefined && this.#pluginDir === undefined)) return;
    if (this.#pino) {
      this.#emit(this.#pino, line);
      return;
    }
    this.#waiting.push(line);
    this.#opening ??= this.#open();
  }

  async #open(): Promise<void> {
    try {
      const { default: pino } = await import('pino');
      if (this.#file !== undefined) {
        mkdirSync(dirname(this.#file), { recursive: true });
        // Synchronous writes: a line is in the file once write() returns, so flush() and a crash right
        // after lose nothing (sonic-boom's asynchronous mode calls flush back before writes in flight land).
        this.#global = pino(
          { level: 'debug', base: undefined },
          pino.destination({ dest: this.#file, sync: true, mkdir: true }),
        );
      }
      this.#pino = pino;
      for (const line of this.#waiting) this.#emit(pino, line);
    } catch {
      this.#fileFailed = true;
    }
    this.#waiting = [];
  }

  #emit(pino: Pino, line: LogLine): void {
    const fields = { plugin: line.plugin, data: line.data };
    try {
      const toGlobal =
        line.plugin === 'host' ||
        LEVEL_RANK[line.level] >= Math.max(LEVEL_RANK.info, LEVEL_RANK[this.#levels.global]);
      if (toGlobal) this.#global?.[line.level](fields, line.message);
    } catch {
      // The global file failed: the plugin's own file may still work.
    }
    if (line.plugin === 'host' || this.#pluginDir === undefined) return;
    try {
      this.#pluginLogger(pino, line.plugin)[line.level]({ data: line.data }, line.message);
    } catch {
      // A full disk or a removed folder: the line stays in memory and reaches listeners; the next
      // line tries again with a fresh file.
      this.#files.get(line.plugin)?.file.close();
      this.#files.delete(line.plugin);
    }
  }

  #pluginLogger(pino: Pino, id: string): Logger {
    let entry = this.#files.get(id);
    if (!entry) {
      const file = new RotatingFile(pluginLogFile(this.#pluginDir!, id), this.#rotation);
      const logger = pino(
        { level: 'debug', base: { plugin: id }, msgPrefix: pluginPrefix(id) },
        { write: (text: string) => file.write(text) },
      );
      entry = { file, logger };
      this.#files.set(id, entry);
    }
    return entry.logger;
  }
}
