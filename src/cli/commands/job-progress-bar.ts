import cliProgress from 'cli-progress';
import type { JobInfo } from '../../types.js';
import type { Io } from '../cli-context.js';

/** `75s` → `1m 15s`; null → `-`. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/**
 * A job's progress as a cli-progress bar with its message and the handler's ETA. On a terminal the
 * bar is redrawn in place; otherwise (a pipe, a log file) each change is printed as a line of its own.
 */
export class JobProgressBar {
  readonly #bar: cliProgress.SingleBar;
  readonly #tty: boolean;

  constructor(io: Io, tty = process.stdout.isTTY === true) {
    this.#tty = tty;
    const stream = {
      isTTY: tty,
      columns: process.stdout.columns ?? 100,
      write: (text: string) => {
        io.out(text);
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    this.#bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {percentage}% | ETA {eta_job} | {message}',
        barsize: 30,
        hideCursor: tty,
        noTTYOutput: true,
        // Off a terminal, lines are written at each change only (not on a timer).
        notTTYSchedule: 24 * 3600 * 1000,
        gracefulExit: true,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  start(job: JobInfo): void {
    this.#bar.start(100, Math.round(job.progress), payloadOf(job));
  }

  update(job: JobInfo): void {
    this.#bar.update(Math.round(job.progress), payloadOf(job));
    if (!this.#tty) this.#bar.render();
  }

  stop(): void {
    if (this.#tty) {
      this.#bar.stop();
      return;
    }
    // Off a terminal every change is already a line: stopping would print the last one again. Only
    // the redraw timer the bar keeps is cleared (it would hold the process open).
    const bar = this.#bar as unknown as { timer: NodeJS.Timeout | null };
    if (bar.timer) clearTimeout(bar.timer);
    bar.timer = null;
  }
}

function payloadOf(job: JobInfo): Record<string, string> {
  return { eta_job: formatEta(job.etaSeconds), message: job.message ?? job.state };
}
