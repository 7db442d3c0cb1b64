export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
/** pino's numbers for the levels (also how lines are filtered). */
export const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** A plugin's log level now, as the API and `jovian logs` show it. */
export interface PluginLevelState {
  readonly id: string;
  /** The level set for the plugin; null when it follows the global level. */
  readonly level: LogLevel | null;
  /** The level its lines are kept at now. */
  readonly effective: LogLevel;
  /** The global level (the floor outside developer mode). */
  readonly floor: LogLevel;
  /** ISO 8601: the end of a running debug period; null when none. */
  readonly debugUntil: string | null;
}

/**
 * The level of each plugin's log: the global level, a level set per plugin at run time, and debug
 * periods. Outside developer mode the global level is a floor (a plugin set to `debug` still logs at
 * the global level), except during a debug period, which ends by itself (its timer is unref'd).
 */
export class PluginLevels {
  #global: LogLevel = 'info';
  #developerMode = false;
  readonly #set = new Map<string, LogLevel>();
  readonly #debug = new Map<string, { until: number; timer: NodeJS.Timeout }>();
  readonly #ended: (id: string) => void;

  /** @param ended told when a debug period ends by itself */
  constructor(ended: (id: string) => void) {
    this.#ended = ended;
  }

  get global(): LogLevel {
    return this.#global;
  }

  configure(global: LogLevel, developerMode: boolean): void {
    this.#global = global;
    this.#developerMode = developerMode;
  }

  set(id: string, level: LogLevel | null): void {
    if (level === null) this.#set.delete(id);
    else this.#set.set(id, level);
  }

  /** Starts (or extends, or shortens) a debug period of `ms` for `id`; returns its end. */
  debugFor(id: string, ms: number): Date {
    this.endDebug(id);
    const until = Date.now() + ms;
    const timer = setTimeout(() => {
      this.#debug.delete(id);
      this.#ended(id);
    }, ms);
    timer.unref();
    this.#debug.set(id, { until, timer });
    return new Date(until);
  }

  endDebug(id: string): boolean {
    const running = this.#debug.get(id);
    if (!running) return false;
    clearTimeout(running.timer);
    this.#debug.delete(id);
    return true;
  }

  /** The least rank a line of `id` needs to be kept (`host` follows the global level). */
  rankOf(id: string): number {
    const debug = this.#debug.get(id);
    if (debug !== undefined && debug.until > Date.now()) return LEVEL_RANK.debug;
    const set = this.#set.get(id);
    if (set === undefined) return LEVEL_RANK[this.#global];
    return this.#developerMode ? LEVEL_RANK[set] : Math.max(LEVEL_RANK[set], LEVEL_RANK[this.#global]);
  }

  state(id: string): PluginLevelState {
    const rank = this.rankOf(id);
    const debug = this.#debug.get(id);
    return {
      id,
      level: this.#set.get(id) ?? null,
      effective: LOG_LEVELS.find((l) => LEVEL_RANK[l] === rank) ?? 'info',
      floor: this.#global,
      debugUntil: debug && debug.until > Date.now() ? new Date(debug.until).toISOString() : null,
    };
  }
}
