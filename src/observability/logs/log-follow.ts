import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { type LogLine, parseLogLine, pluginLogFile } from './log-files.js';

/**
 * Follows a plugin's live log file from its current end, as `tail -F` does: new whole lines are passed
 * to `onLine` as they are written; when the file is rotated (renamed to `<id>.log.1` and a new one
 * created), the rest of the old file is read first, then any file rotated after it (several rotations
 * may happen between two polls during a burst), then the new file from its start, so no line is
 * skipped unless rotation already deleted it. Polls every `pollMs` (the host writes from another process, where file events are not
 * reliable on every system). `onReady` runs once the current end is known, before anything is read:
 * lines written from then on reach `onLine` (print the past lines there, and none falls in between).
 * Resolves when `signal` aborts.
 */
export async function followPluginLog(
  dir: string,
  id: string,
  onLine: (line: LogLine) => void,
  signal: AbortSignal,
  options: { readonly onReady?: () => Promise<void> | void; readonly pollMs?: number } = {},
): Promise<void> {
  const pollMs = options.pollMs ?? 250;
  const path = pluginLogFile(dir, id);
  let handle: FileHandle | undefined;
  let inode = -1;
  let position = 0;
  let partial = '';
  const drain = async () => {
    if (!handle) return;
    const { size } = await handle.stat();
    if (size < position) position = 0; // truncated
    while (position < size) {
      const buffer = Buffer.alloc(Math.min(size - position, 1 << 20));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const text = partial + buffer.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const raw of lines) {
        const line = parseLogLine(raw);
        if (line) onLine(line);
      }
    }
  };
  /** The files rotated after the one with `oldInode` (now `<id>.log.<k>`): `.k-1` down to `.1`, whole. */
  const readRotatedSince = async (oldInode: number) => {
    let k = 1;
    for (; k <= 100; k++) {
      const found = await stat(`${path}.${k}`).catch(() => undefined);
      if (!found) return;
      if (found.ino === oldInode) break;
    }
    for (let n = k - 1; n >= 1; n--) {
      const text = await readFile(`${path}.${n}`, 'utf8').catch(() => '');
      for (const raw of text.split('\n')) {
        const line = parseLogLine(raw);
        if (line) onLine(line);
      }
    }
  };
  const reopen = async (fromEnd: boolean) => {
    const found = await stat(path).catch(() => undefined);
    if (!found || found.ino === inode) return;
    await drain();
    await handle?.close();
    if (inode !== -1) await readRotatedSince(inode);
    handle = await open(path, 'r').catch(() => undefined);
    inode = handle ? found.ino : -1;
    position = fromEnd ? found.size : 0;
    partial = '';
  };
  await reopen(true);
  try {
    await options.onReady?.();
    while (!signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, pollMs);
        signal.addEventListener('abort', done, { once: true });
      });
      await drain();
      await reopen(false);
    }
  } finally {
    await handle?.close();
  }
}
