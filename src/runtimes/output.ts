import type { Readable } from 'node:stream';

const KEPT_LINES = 200;

/**
 * Forwards what an isolated plugin writes to stdout (info) and stderr (warn) to the plugin's log,
 * line by line, and keeps the last lines for its crash dump.
 */
export function attachOutput(
  stdout: Readable | null | undefined,
  stderr: Readable | null | undefined,
  sink: ((level: 'info' | 'warn' | 'error', line: string) => void) | undefined,
): { tail(): string[] } {
  const kept: string[] = [];
  const follow = (stream: Readable | null | undefined, level: 'info' | 'warn', prefix: string) => {
    if (!stream) return;
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) emit(line);
      if (pending.length > 64 * 1024) {
        emit(pending);
        pending = '';
      }
    });
    stream.on('end', () => {
      if (pending) emit(pending);
    });
    function emit(line: string) {
      kept.push(`${prefix}${line}`);
      if (kept.length > KEPT_LINES) kept.splice(0, kept.length - KEPT_LINES);
      sink?.(level, line);
    }
  };
  follow(stdout, 'info', '');
  follow(stderr, 'warn', 'stderr: ');
  return { tail: () => [...kept] };
}
