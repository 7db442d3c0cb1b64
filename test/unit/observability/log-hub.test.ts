import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogHub } from '../../../src/observability/index.js';

describe('LogHub', () => {
  it('should have every line written before flush() in the file when flush() resolves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jovian-logs-'));
    const file = join(dir, 'logs', 'jovian.log');
    try {
      const hub = new LogHub({ file });
      hub.write('alpha', 'info', 'first');
      await hub.flush();
      hub.write('beta', 'warn', 'second', { n: 2 });
      await hub.flush();
      const lines = (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toEqual([
        expect.objectContaining({ plugin: 'alpha', level: 30, msg: 'first' }),
        expect.objectContaining({ plugin: 'beta', level: 40, msg: 'second', data: { n: 2 } }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('should keep the last lines of each plugin for tail(), and drop lines under its level', () => {
    const hub = new LogHub({ keepPerPlugin: 2, level: 'info' });
    hub.write('p', 'debug', 'hidden');
    for (const message of ['a', 'b', 'c']) hub.write('p', 'info', message);
    expect(hub.tail('p').map((line) => line.message)).toEqual(['b', 'c']);
    expect(hub.tail('p', 1).map((line) => line.message)).toEqual(['c']);
  });
});
