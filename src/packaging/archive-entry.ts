import { JovianError } from '../errors.js';
import { checkPackagePath } from '../security/index.js';
import type { ArchiveLimits } from './archive-limits.js';

/** What an archive entry is, once its format's type field is read. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'special';

/** A file read from an archive, held in memory until every entry has passed. */
export interface ArchiveFile {
  readonly path: string;
  readonly data: Buffer;
  /** Whether the archive marks it executable (kept as mode 0755; others get 0644). */
  readonly executable: boolean;
}

/**
 * Collects an archive's entries and applies the rules shared by .tgz and .zip: relative safe paths,
 * no links, no devices, no duplicates, caps on count, size, total and compression ratio. Each refusal is
 * a JovianError naming the archive and the entry.
 */
export class EntryCollector {
  readonly files: ArchiveFile[] = [];
  readonly directories: string[] = [];
  readonly #seen = new Set<string>();
  readonly #archive: string;
  readonly #limits: ArchiveLimits;
  #entries = 0;
  #total = 0;

  constructor(archive: string, limits: ArchiveLimits) {
    this.#archive = archive;
    this.#limits = limits;
  }

  /** Checks an entry before its data is read. Returns the normalised path. */
  admit(rawPath: string, kind: EntryKind, declaredSize: number): string {
    const path = rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    checkPackagePath(path, this.#archive);
    const at = `${this.#archive}: entry \`${path}\``;
    if (kind === 'symlink' || kind === 'hardlink')
      throw new JovianError(
        'JOVIAN_E_PACKAGE_LINK',
        `${at} is a ${kind === 'symlink' ? 'symbolic' : 'hard'} link`,
      );
    if (kind === 'special')
      throw new JovianError('JOVIAN_E_PACKAGE_SPECIAL_FILE', `${at} is a device, FIFO or other special file`);
    if (++this.#entries > this.#limits.maxEntries)
      this.#tooLarge(`${this.#archive}: more than ${this.#limits.maxEntries} entries`);
    if (this.#seen.has(path)) throw new JovianError('JOVIAN_E_PACKAGE_BAD_PATH', `${at} appears twice`);
    this.#seen.add(path);
    if (kind === 'file') this.#checkSize(at, declaredSize);
    return path;
  }

  /** Counts bytes as they are inflated (before the entry is complete), so a bomb stops early. */
  count(path: string, soFar: number): void {
    this.#checkSize(`${this.#archive}: entry \`${path}\``, soFar);
  }

  /** Adds bytes to the archive total and checks it against the compressed size read so far. */
  addTotal(bytes: number, compressedBytes: number, path: string): void {
    this.#total += bytes;
    const limits = this.#limits;
    if (this.#total > limits.maxTotalBytes)
      this.#tooLarge(
        `${this.#archive}: more than ${limits.maxTotalBytes} bytes uncompressed (at \`${path}\`)`,
      );
    this.checkRatio(this.#total, compressedBytes, path);
  }

  checkRatio(uncompressed: number, compressed: number, path: string): void {
    const limits = this.#limits;
    if (uncompressed > limits.ratioFloorBytes && uncompressed > limits.maxRatio * Math.max(compressed, 1))
      this.#tooLarge(
        `${this.#archive}: entry \`${path}\` expands more than ${limits.maxRatio} times (a compression bomb?)`,
      );
  }

  #checkSize(at: string, size: number): void {
    if (size > this.#limits.maxFileBytes)
      this.#tooLarge(`${at} is larger than ${this.#limits.maxFileBytes} bytes`);
  }

  #tooLarge(message: string): never {
    throw new JovianError('JOVIAN_E_PACKAGE_TOO_LARGE', message);
  }
}
