/**
 * The deadlines of an endpoint's pending calls under one timer, armed for the earliest: a call costs a
 * map entry instead of a timer of its own (timers are the dearest part of a round trip). While a
 * deadline is pending the timer keeps the process alive, so a hung call is reported, never dropped;
 * with none pending it stays armed but no longer holds the process (the next call reuses it).
 */
export class Deadlines {
  readonly #at = new Map<number, number>();
  readonly #onExpired: (id: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(onExpired: (id: number) => void) {
    this.#onExpired = onExpired;
  }

  /** Call `id` expires `ms` from now. */
  add(id: number, ms: number): void {
    const at = performance.now() + ms;
    this.#at.set(id, at);
    if (at < this.#timerAt) this.#arm(at);
    else if (this.#at.size === 1) this.#timer?.ref();
  }

  delete(id: number): void {
    if (this.#at.delete(id) && this.#at.size === 0) this.#timer?.unref();
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const due: number[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [id, at] of this.#at) {
      if (at <= now + 1) due.push(id);
      else if (at < next) next = at;
    }
    for (const id of due) {
      this.#at.delete(id);
      this.#onExpired(id);
    }
    if (next < this.#timerAt && this.#at.size > 0) this.#arm(next);
  }
}
