/** Something the watchdog checks on each tick. */
export interface Watched {
  /** Set when the watched work has settled; the entry is then dropped at the next sweep. */
  done: boolean;
  /** Maintained by the watchdog: true while the entry is in its list (so it is never added twice). */
  watched: boolean;
  /**
   * Called on every tick with the tick count. The entry keeps its own notion of when its current step
   * started (the first tick that saw it) and expires itself when its deadline has passed.
   */
  check(tick: number): void;
}

/** Deadline resolution: a deadline fires between `timeoutMs` and `timeoutMs + 2 × RESOLUTION_MS`. */
export const RESOLUTION_MS = 10;
const LINGER_TICKS = 100;

/**
 * One coarse timer for every asynchronous tap deadline, instead of one `setTimeout` per tap call (which
 * costs about a microsecond each and would double the cost of a hook). Timestamps are taken on ticks,
 * not per tap, so a tap that settles quickly costs nothing here. The timer ticks only while something
 * is watched (plus a short linger so that a busy stream of calls does not re-arm it every time), keeps
 * the process alive only while a deadline is pending, and registering is a push onto an array whose
 * settled entries are swept in bulk.
 */
class Watchdog {
  tick = 0;
  #entries: Watched[] = [];
  #sweepAt = 64;
  #timer: NodeJS.Timeout | undefined;
  #referenced = false;
  #idle = 0;

  watch(entry: Watched): void {
    if (entry.watched) return;
    const entries = this.#entries;
    if (entries.length >= this.#sweepAt) this.#sweep();
    entry.watched = true;
    entries.push(entry);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#onTick(), RESOLUTION_MS);
      this.#referenced = true;
    } else if (!this.#referenced) {
      this.#timer.ref();
      this.#referenced = true;
    }
    this.#idle = 0;
  }

  /** Ticks for a deadline of `ms`. */
  ticksFor(ms: number): number {
    return Number.isFinite(ms) ? Math.ceil(ms / RESOLUTION_MS) : Number.POSITIVE_INFINITY;
  }

  #sweep(): void {
    const entries = this.#entries;
    let kept = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!entry.done) entries[kept++] = entry;
      else entry.watched = false;
    }
    entries.length = kept;
    this.#sweepAt = Math.max(64, kept * 2);
  }

  #onTick(): void {
    const tick = ++this.tick;
    const entries = this.#entries;
    let kept = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!entry.done) entry.check(tick);
      if (!entry.done) entries[kept++] = entry;
      else entry.watched = false;
    }
    entries.length = kept;
    if (kept > 0) return;
    if (this.#referenced) {
      this.#timer?.unref();
      this.#referenced = false;
    }
    if (++this.#idle >= LINGER_TICKS) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#idle = 0;
    }
  }
}

export const watchdog = new Watchdog();
