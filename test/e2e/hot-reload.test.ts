/**
 * Hot reload in developer mode, through the real host: a single-file Lua plugin edited on disk
 * changes behaviour without a restart; a new version that does not parse, load or start leaves the
 * previous one serving, with a crash dump and a `plugin.reload_failed` event. The same for an
 * in-process TypeScript plugin. Outside developer mode, reload is refused.
 */
import { spawn } from 'node:child_process';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatHooks,
  ChatPipeline,
  createChatHooks,
  createHost,
  type PluginHost,
} from '../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../helpers/plugin-fixtures.js';

const header = (version: string) =>
  `-- @id tagger\n-- @name Tagger\n-- @version ${version}\n-- @author Team\n-- @description Tags responses\n\n`;
const tagger = (version: string, tag: string) =>
  `${header(version)}function on_startup()\n    jarvis.log("starting ${tag}")\nend\n\nfunction on_shutdown()\n    jarvis.log("stopping ${tag}")\nend\n\nfunction filter_response(response)\n    response.content = response.content .. " [${tag}]"\n    return response\nend\n`;

const echoPlugin = (suffix: string, failActivate = false) =>
  `export default { async activate(ctx) {${failActivate ? " throw new Error('broken activate');" : ''} await ctx.hooks.tap('on_chat', () => ({ from: 'ts ${suffix}' })); } };`;

describe('hot reload (developer mode)', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let chat: ChatPipeline;
  const events: { topic: string; payload: Record<string, unknown> }[] = [];
  const file = () => join(fixture.pluginsDir, 'tagger.lua');
  const logsOf = (id: string) => host.logs.tail(id, 50).map((line) => line.message);

  beforeAll(async () => {
    fixture = await createFixture();
    await writeFile(join(fixture.pluginsDir, 'tagger.lua'), tagger('1.0.0', 'v1'));
    await fixture.add('echo', {
      manifest: { contributes: { hooks: ['on_chat'] } },
      code: echoPlugin('v1'),
    });
    host = createHost({
      hooks: createChatHooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
      developerMode: true,
    });
    await host.start();
    chat = new ChatPipeline(host);
    for (const topic of ['plugin.reloaded', 'plugin.reload_failed'])
      host.events.subscribe(
        topic,
        (event) => void events.push({ topic, payload: event.payload as Record<string, unknown> }),
      );
    expect((await chat.send('hi')).response.content).toBe('You said: hi [v1]');
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });
  beforeEach(() => {
    events.length = 0;
  });

  it('should run the edited Lua file without a restart, calling on_shutdown then on_startup', async () => {
    await writeFile(file(), tagger('1.1.0', 'v2'));
    const result = await host.reload('tagger');
    expect(result).toMatchObject({ ok: true, from: '1.0.0', to: '1.1.0', wasActive: true });
    expect((await chat.send('hi')).response.content).toBe('You said: hi [v2]');
    expect(host.record('tagger')).toMatchObject({ state: 'ready', manifest: { version: '1.1.0' } });
    await host.flush();
    const lines = logsOf('tagger');
    expect(lines.indexOf('stopping v1')).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf('starting v2')).toBeGreaterThan(lines.indexOf('stopping v1'));
    expect(events).toEqual([
      {
        topic: 'plugin.reloaded',
        payload: { id: 'tagger', from: '1.0.0', to: '1.1.0', wasActive: true },
      },
    ]);
  });

  it('should keep the old version serving when the new one has a syntax error, and say where', async () => {
    const broken = tagger('1.2.0', 'v3').replace('return response\nend', 'return response\n');
    await writeFile(file(), broken);
    const result = await host.reload('tagger');
    expect(result).toMatchObject({ ok: false, from: '1.1.0', to: '1.2.0', rolledBack: true });
    expect(result.error?.code).toBe('JOVIAN_E_RELOAD_FAILED');
    expect(result.error?.message).toMatch(/tagger\.lua:\d+:.*'end' expected/);
    // Caught by compiling the new source first: the running version was not even stopped.
    await host.flush();
    expect(logsOf('tagger')).not.toContain('stopping v2');
    expect((await chat.send('hi')).response.content).toBe('You said: hi [v2]');
    expect(host.record('tagger')).toMatchObject({ state: 'ready', manifest: { version: '1.1.0' } });
    expect(host.record('tagger')?.lastReload).toMatchObject({ ok: false });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      topic: 'plugin.reload_failed',
      payload: { id: 'tagger', from: '1.1.0', to: '1.2.0', rolledBack: true },
    });
    const dumps = await readdir(join(fixture.dataDir, 'logs', 'crashes'));
    expect(dumps.some((name) => name.startsWith('tagger-'))).toBe(true);
    expect(result.crashDump).toBeDefined();
  });

  it('should keep the old version serving when the new one fails while loading', async () => {
    await writeFile(file(), `${tagger('1.3.0', 'v4')}\nerror("not today")\n`);
    const result = await host.reload('tagger');
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(result.error?.message).toContain('not today');
    expect((await chat.send('hi')).response.content).toBe('You said: hi [v2]');
  });

  it('should refuse a header that does not parse before touching the running version', async () => {
    await writeFile(file(), tagger('one', 'v5'));
    const result = await host.reload('tagger');
    expect(result).toMatchObject({ ok: false, to: undefined, rolledBack: true });
    expect(result.error?.message).toMatch(/tagger\.lua:3:\d+: .*version/);
    expect((await chat.send('hi')).response.content).toBe('You said: hi [v2]');
    expect(events.map((e) => e.topic)).toEqual(['plugin.reload_failed']);
  });

  it('should reload an in-process TypeScript plugin, and go back to its old module if the new one fails', async () => {
    const steps = async () => (await chat.send('hi')).steps.filter((s) => s.plugin === 'echo');
    expect((await steps())[0]?.result).toEqual({ from: 'ts v1' });
    await writeFile(join(fixture.pluginsDir, 'echo', 'index.mjs'), echoPlugin('v2'));
    expect(await host.reload('echo')).toMatchObject({ ok: true });
    expect((await steps())[0]?.result).toEqual({ from: 'ts v2' });

    await writeFile(join(fixture.pluginsDir, 'echo', 'index.mjs'), echoPlugin('v3', true));
    const failed = await host.reload('echo');
    expect(failed).toMatchObject({ ok: false, rolledBack: true });
    expect(failed.error?.message).toContain('broken activate');
    expect((await steps())[0]?.result).toEqual({ from: 'ts v2' });
    expect(host.record('echo')?.state).toBe('ready');
  });

  it('should pick up a fixed version after a failed one', async () => {
    await writeFile(file(), tagger('2.0.0', 'fixed'));
    expect(await host.reload('tagger')).toMatchObject({ ok: true, from: '1.1.0', to: '2.0.0' });
    expect((await chat.send('hi')).response.content).toBe('You said: hi [fixed]');
  });

  it('should reload a plugin by itself when its file is saved, while watching', async () => {
    const watch = await host.watch({ debounceMs: 50 });
    try {
      await watch.ready;
      const reloaded = new Promise<Record<string, unknown>>((resolve) => {
        const subscription = host.events.subscribe('plugin.reloaded', (event) => {
          subscription.dispose();
          resolve(event.payload as Record<string, unknown>);
        });
      });
      await writeFile(file(), tagger('3.0.0', 'watched'));
      expect(await reloaded).toMatchObject({ id: 'tagger', to: '3.0.0' });
      expect((await chat.send('hi')).response.content).toBe('You said: hi [watched]');
    } finally {
      await watch.close();
    }
  });

  it('should refuse to reload outside developer mode, and core plugins always', async () => {
    const plain = createHost({
      hooks: createChatHooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: join(fixture.root, 'plain-data'),
      manifestCache: false,
      isolation: AS_DECLARED,
    });
    await plain.start();
    try {
      await expect(plain.reload('tagger')).rejects.toMatchObject({
        code: 'JOVIAN_E_RELOAD_REFUSED',
        hint: expect.stringContaining('developer_mode: true'),
      });
      await expect(plain.watch()).rejects.toMatchObject({ code: 'JOVIAN_E_RELOAD_REFUSED' });
    } finally {
      await plain.stop();
    }
    await expect(host.reload('bridge')).rejects.toMatchObject({ code: 'JOVIAN_E_CORE_PLUGIN_LOCKED' });
  });
});

describe('jovian --dev chat --watch', () => {
  const ROOT = join(import.meta.dirname, '..', '..');

  it('should answer with the edited Lua plugin after a save, and keep the old one after a broken save', async () => {
    const fixture = await createFixture();
    const filters = join(fixture.pluginsDir, 'filters.lua');
    await copyFile(join(ROOT, 'examples', 'plugins', 'filters.lua'), filters);
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'jovian.js'),
        '--dev',
        '--plugins-dir',
        fixture.pluginsDir,
        '--data-dir',
        fixture.dataDir,
        'chat',
        '--watch',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const waitFor = async (text: string, from: number) => {
      const deadline = Date.now() + 20_000;
      while (!out.slice(from).includes(text)) {
        if (Date.now() > deadline) throw new Error(`"${text}" did not appear; output:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    try {
      await waitFor('watching', 0);
      let mark = out.length;
      child.stdin.write('Hello   THERE\n');
      await waitFor('assistant  "You said: hello there 🤖"', mark);

      const seed = await readFile(filters, 'utf8');
      mark = out.length;
      await writeFile(filters, seed.replace('-- @version 1.0.0', '-- @version 1.1.0').replace(' 🤖', ' 🚀'));
      await waitFor('reloaded filters 1.0.0 → 1.1.0', mark);
      mark = out.length;
      child.stdin.write('Hello\n');
      await waitFor('assistant  "You said: hello 🚀"', mark);

      mark = out.length;
      await writeFile(
        filters,
        seed.replace('-- @version 1.0.0', '-- @version 1.2.0').replace('return message', 'return message('),
      );
      await waitFor('reload failed filters', mark);
      await waitFor('version 1.1.0 keeps serving', mark);
      mark = out.length;
      child.stdin.write('Hello\n');
      await waitFor('assistant  "You said: hello 🚀"', mark);
      child.stdin.end();
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
    } finally {
      child.kill();
      await fixture.cleanup();
    }
  }, 60_000);
});
