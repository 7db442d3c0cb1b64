import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotationOptions {
  /** A file is rotated before a line would take it past this size (bytes). */
  readonly maxBytes: number;
  /** Rotated files kept: `<file>.1` (newest) to `<file>.<keep>`; 0 keeps none. */
  readonly keep: number;
}

/**
 * An append-only file rotated by size, written synchronously: a line is in the file when write()
 * returns, and the size is checked before every line, so a burst cannot overshoot the limit (unlike
 * rotation on a timer or after an asynchronous write). Each file holds at most `maxBytes`, or a single
 * line when that one line is longer. Rotating renames `<file>.<n>` to `<file>.<n+1>` (the oldest beyond
 * `keep` is deleted), then `<file>` to `<file>.1`, and opens a new `<file>`: lines are never split
 * across files, and only the files past `keep` are discarded. Not safe for two processes writing the
 * same file (the host is the only writer).
 */
export class RotatingFile {
  readonly file: string;
  readonly #options: RotationOptions;
  #fd: number | undefined;
  #size = 0;

  constructor(file: string, options: RotationOptions) {
    this.file = file;
    this.#options = options;
  }

  /** Appends `text` (one or more whole lines). @throws the file system's error (the caller decides). */
  write(text: string): void {
    const bytes = Buffer.byteLength(text);
    let fd = this.#open();
    if (this.#size > 0 && this.#size + bytes > this.#options.maxBytes) {
      this.#rotate();
      fd = this.#open();
    }
    writeSync(fd, text);
    this.#size += bytes;
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): number {
    if (this.#fd !== undefined) return this.#fd;
    mkdirSync(dirname(this.file), { recursive: true });
    const fd = openSync(this.file, 'a', 0o600);
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
    return fd;
  }

  #rotate(): void {
    this.close();
    const { keep } = this.#options;
    if (keep === 0) {
      rmSync(this.file, { force: true });
      return;
    }
    rmSync(`${this.file}.${keep}`, { force: true });
    for (let n = keep - 1; n >= 1; n--) renameIfPresent(`${this.file}.${n}`, `${this.file}.${n + 1}`);
    renameIfPresent(this.file, `${this.file}.1`);
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
