import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { JovianError } from '../errors.js';
import { EntryCollector, type EntryKind } from './archive-entry.js';
import type { ArchiveLimits } from './archive-limits.js';

function kindOf(type: string): EntryKind {
  if (type === 'File' || type === 'OldFile' || type === 'ContiguousFile') return 'file';
  if (type === 'Directory') return 'directory';
  if (type === 'SymbolicLink') return 'symlink';
  if (type === 'Link') return 'hardlink';
  return 'special';
}

/**
 * Reads a .tgz (or plain .tar) held in memory into checked entries. Inflation is capped by
 * zlib's `maxOutputLength`, so a gzip bomb stops at the total cap instead of filling memory.
 */
export async function readTgz(
  bytes: Buffer,
  archive: string,
  limits: ArchiveLimits,
): Promise<EntryCollector> {
  const collector = new EntryCollector(archive, limits);
  let tarBytes = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tarBytes = gunzipSync(bytes, { maxOutputLength: limits.maxTotalBytes + 1024 * 1024 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new JovianError(
          'JOVIAN_E_PACKAGE_TOO_LARGE',
          `${archive}: inflates to more than ${limits.maxTotalBytes} bytes (a compression bomb?)`,
        );
      throw new JovianError('JOVIAN_E_PACKAGE_ARCHIVE_INVALID', `${archive}: not a valid gzip file`, {
        cause: error,
      });
    }
    collector.checkRatio(tarBytes.length, bytes.length, '(whole archive)');
  }
  let failure: unknown;
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      if (failure !== undefined) {
        entry.resume();
        return;
      }
      try {
        const kind = kindOf(entry.type);
        const path = collector.admit(entry.path, kind, entry.size ?? 0);
        if (kind === 'directory') {
          collector.directories.push(path);
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        entry.on('data', (chunk: Buffer) => {
          size += chunk.length;
          chunks.push(chunk);
        });
        entry.on('end', () => {
          if (failure !== undefined) return;
          try {
            collector.count(path, size);
            collector.addTotal(size, bytes.length, path);
            collector.files.push({
              path,
              data: Buffer.concat(chunks),
              executable: ((entry.mode ?? 0) & 0o111) !== 0,
            });
          } catch (error) {
            failure = error;
          }
        });
      } catch (error) {
        failure = error;
        entry.resume();
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('error', (error: Error) => {
      failure ??= new JovianError('JOVIAN_E_PACKAGE_ARCHIVE_INVALID', `${archive}: ${error.message}`, {
        cause: error,
      });
      resolve();
    });
    parser.on('end', () => resolve());
    try {
      parser.end(tarBytes);
    } catch (error) {
      reject(error);
    }
  });
  if (failure !== undefined) throw failure;
  return collector;
}
