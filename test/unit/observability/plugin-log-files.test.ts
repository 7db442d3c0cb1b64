/**
 * Each plugin's log files through a real host: `[plugin:<id>]` lines in <data-dir>/logs/plugins/<id>.log,
 * rotation by size that holds its limit under a burst, the global file, reading back after a restart,
 * and debug periods that end by themselves.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHost } from '../../../src/index.js';
import { LogHub, pluginLogFiles, readPluginLog } from '../../../src/observability/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

const LIMIT = 4096;
const KEPT = 3;
const BURST = 3000;

describe('Plugin log files', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await fixture?.cleanup();
    fixture = undefined;
  });

  async function burstHost(): Promise<{ fixture: Fixture; start: () => ReturnType<typeof createHost> }> {
    const made = await createFixture();
    await made.add('chatty', {
      code: `export default { activate(ctx) { for (let i = 1; i <= ${BURST}; i++) ctx.logger.info('line ' + i); } };`,
    });
    await mkdir(made.dataDir, { recursive: true });
    await writeFile(
      join(made.dataDir, 'jovian.yaml'),
      `logs:\n  max_file_bytes: ${LIMIT}\n  files_kept: ${KEPT}\n`,
    );
    const start = () =>
      createHost({ hooks: {}, pluginDirs: [made.pluginsDir], dataDir: made.dataDir, isolation: AS_DECLARED });
    return { fixture: made, start };
  }

  it('should hold each file to its size limit under a burst, keep the set number of files, and lose no line between them', async () => {
    const made = await burstHost();
    fixture = made.fixture;
    const host = made.start();
    await host.start();
    await host.activate('chatty');
    await host.stop();
    const dir = join(fixture.dataDir, 'logs', 'plugins');
    const files = await pluginLogFiles(dir, 'chatty');
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'chatty.log.3',
      'chatty.log.2',
      'chatty.log.1',
      'chatty.log',
    ]);
    let longest = 0;
    const numbers: number[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const line of text.trimEnd().split('\n')) {
        longest = Math.max(longest, Buffer.byteLength(line) + 1);
        const parsed = JSON.parse(line) as { plugin: string; msg: string };
        expect(parsed.plugin).toBe('chatty');
        expect(parsed.msg).toMatch(/^\[plugin:chatty\] /);
        const match = /line (\d+)$/.exec(parsed.msg);
        if (match) numbers.push(Number(match[1]));
      }
      expect((await stat(file)).size).toBeLessThanOrEqual(LIMIT + longest);
    }
    // What the kept files hold is an unbroken run ending with the last line: rotation only drops the oldest.
    expect(numbers.at(-1)).toBe(BURST);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(numbers.length).toBeGreaterThan((LIMIT * KEPT) / longest);
  });

  it('should read the lines back from disk after the host restarts', async () => {
    const made = await burstHost();
    fixture = made.fixture;
    const first = made.start();
    await first.start();
    await first.activate('chatty');
    await first.stop();
    const second = made.start();
    await second.start();
    expect(second.logs.tail('chatty')).toEqual([]);
    const dir = join(fixture.dataDir, 'logs', 'plugins');
    const lines = await readPluginLog(dir, 'chatty', { tail: 3 });
    expect(lines.map((l) => l.message)).toEqual([`line ${BURST - 2}`, `line ${BURST - 1}`, `line ${BURST}`]);
    expect(lines.every((l) => l.plugin === 'chatty' && l.level === 'info')).toBe(true);
    const global = await readFile(join(fixture.dataDir, 'logs', 'jovian.log'), 'utf8');
    expect(global).toContain('"plugin":"chatty"');
    await second.stop();
  });

  it('should keep the global file to info and above, and the plugin file to the plugin’s level', async () => {
    fixture = await createFixture();
    const hub = new LogHub({
      file: join(fixture.dataDir, 'jovian.log'),
      pluginDir: join(fixture.dataDir, 'plugins'),
      developerMode: true,
    });
    hub.setPluginLevel('p', 'debug');
    hub.write('p', 'debug', 'details');
    hub.write('p', 'warn', 'careful');
    await hub.flush();
    const own = await readPluginLog(join(fixture.dataDir, 'plugins'), 'p');
    expect(own.map((l) => l.message)).toEqual(['details', 'careful']);
    const global = await readFile(join(fixture.dataDir, 'jovian.log'), 'utf8');
    expect(global).toContain('careful');
    expect(global).not.toContain('details');
    hub.close();
  });

  it('should end a debug period by itself and go back to the plugin’s level, the floor applying again', () => {
    vi.useFakeTimers();
    const hub = new LogHub({ level: 'warn' });
    hub.setPluginLevel('p', 'info');
    expect(hub.levelOf('p').effective).toBe('warn');
    hub.debugFor('p', 10 * 60_000);
    expect(hub.levelOf('p').effective).toBe('debug');
    hub.write('p', 'debug', 'during');
    vi.advanceTimersByTime(10 * 60_000 + 1);
    expect(hub.levelOf('p')).toMatchObject({ level: 'info', effective: 'warn', debugUntil: null });
    hub.write('p', 'debug', 'after');
    expect(hub.tail('p').map((l) => l.message)).toEqual([
      expect.stringMatching(/^debug period until/),
      'during',
    ]);
  });
});
