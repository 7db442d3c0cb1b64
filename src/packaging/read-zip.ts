import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { JovianError } from '../errors.js';
import { EntryCollector, type EntryKind } from './archive-entry.js';
import type { ArchiveLimits } from './archive-limits.js';

const S_IFMT = 0o170000;

function kindOf(entry: Entry): EntryKind {
  const madeOnUnix = entry.versionMadeBy >> 8 === 3;
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (madeOnUnix && mode !== 0) {
    if (mode === 0o120000) return 'symlink';
    if (mode === 0o040000) return 'directory';
    if (mode !== 0o100000) return 'special';
  }
  return entry.fileName.endsWith('/') ? 'directory' : 'file';
}

const wrap = (archive: string, error: unknown): JovianError => {
  if (error instanceof JovianError) return error;
  const message = (error as Error).message;
  return /path|fileName/i.test(message)
    ? new JovianError('JOVIAN_E_PACKAGE_BAD_PATH', `${archive}: ${message}`, { cause: error })
    : new JovianError('JOVIAN_E_PACKAGE_ARCHIVE_INVALID', `${archive}: ${message}`, { cause: error });
};

/**
 * Reads a .zip held in memory into checked entries. yauzl checks each entry's inflated size against
 * the size its header declares; the caps apply to the declared sizes before inflating and to the bytes
 * as they come out.
 */
export function readZip(bytes: Buffer, archive: string, limits: ArchiveLimits): Promise<EntryCollector> {
  const collector = new EntryCollector(archive, limits);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, strictFileNames: true }, (openError, zip?: ZipFile) => {
      if (openError || !zip) {
        reject(wrap(archive, openError));
        return;
      }
      const fail = (error: unknown): void => {
        zip.close();
        reject(wrap(archive, error));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve(collector));
      zip.on('entry', (entry: Entry) => {
        try {
          const kind = kindOf(entry);
          const path = collector.admit(entry.fileName, kind, entry.uncompressedSize);
          if (kind === 'directory') {
            collector.directories.push(path);
            zip.readEntry();
            return;
          }
          collector.checkRatio(entry.uncompressedSize, entry.compressedSize, path);
          collector.addTotal(entry.uncompressedSize, bytes.length, path);
          zip.openReadStream(entry, (streamError, stream) => {
            if (streamError || !stream) return fail(streamError);
            const chunks: Buffer[] = [];
            let size = 0;
            stream.on('data', (chunk: Buffer) => {
              size += chunk.length;
              try {
                collector.count(path, size);
              } catch (error) {
                stream.destroy();
                fail(error);
                return;
              }
              chunks.push(chunk);
            });
            stream.on('error', fail);
            stream.on('end', () => {
              const mode = entry.externalFileAttributes >>> 16;
              collector.files.push({ path, data: Buffer.concat(chunks), executable: (mode & 0o111) !== 0 });
              zip.readEntry();
            });
          });
        } catch (error) {
          fail(error);
        }
      });
      zip.readEntry();
    });
  });
}
