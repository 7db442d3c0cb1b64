/** Caps applied while reading an archive, before anything is written. */
export interface ArchiveLimits {
  /** Most entries (files and folders). */
  readonly maxEntries: number;
  /** Largest uncompressed file, in bytes. */
  readonly maxFileBytes: number;
  /** Largest total of uncompressed bytes. */
  readonly maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio, checked once more than `ratioFloorBytes` are out. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 10_000,
  maxFileBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};
