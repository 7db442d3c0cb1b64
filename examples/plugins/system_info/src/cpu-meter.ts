import { cpus } from 'node:os';

interface Times {
  readonly busy: number;
  readonly total: number;
}

function readTimes(): Times {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** CPU use of the whole machine, in percent, between one reading and the previous one. */
export class CpuMeter {
  #last = readTimes();
  #percent = 0;

  percent(): number {
    const now = readTimes();
    const total = now.total - this.#last.total;
    // Two readings in the same clock tick: keep the previous figure rather than report 0 %.
    if (total > 0) {
      this.#percent = Math.round((1000 * (now.busy - this.#last.busy)) / total) / 10;
      this.#last = now;
    }
    return this.#percent;
  }
}
