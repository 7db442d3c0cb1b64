/**
 * Lua plugins through the real host: the seed's plugins, verbatim, in hardened Lua states inside the
 * shared Lua worker, answering the chat hooks; a runaway Lua plugin is stopped while its neighbours
 * and a TypeScript plugin keep answering.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChatHooks,
  ChatPipeline,
  createChatHooks,
  createHost,
  type PluginHost,
} from '../../src/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';

const SEED = join(import.meta.dirname, '..', '..', 'examples', 'plugins');

describe('Lua plugins', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let chat: ChatPipeline;

  const lua = async (id: string, hooks: string[], source: string, limits: Record<string, number> = {}) =>
    fixture.add(id, {
      manifest: { runtime: 'lua', main: 'main.lua', contributes: { hooks }, limits },
      files: { 'main.lua': source },
    });

  beforeAll(async () => {
    fixture = await createFixture();
    await lua('welcome', ['on_chat'], await readFile(join(SEED, 'welcome.lua'), 'utf8'));
    await lua('commands', ['on_command'], await readFile(join(SEED, 'commands.lua'), 'utf8'));
    await lua(
      'filters',
      ['filter_message', 'filter_response'],
      await readFile(join(SEED, 'filters.lua'), 'utf8'),
    );
    await lua(
      'runaway',
      ['on_automation'],
      `function on_automation(a)
         if a.name == "loop" then while true do end end
         if a.name == "hog" then return { found = ("a"):rep(600):find(".-.-.-.-b") } end
         if a.name == "bomb" then local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(4096) end end
         return { fine = a.name }
       end`,
      { timeout_ms: 1_500, memory_mb: 8 },
    );
    await fixture.add('typescript', {
      manifest: { runtime: 'worker' },
      code: 'export default { run: () => "still here" };',
    });
    host = createHost({
      hooks: createChatHooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
    });
    await host.start();
    chat = new ChatPipeline(host);
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should run the seed’s plugins unmodified: filters, welcome and commands', async () => {
    const exchange = await chat.send('  Hello   THERE ');
    expect(exchange.message.content).toBe(' hello there ');
    expect(exchange.response.content).toBe('You said:  hello there  🤖');
    expect(exchange.steps.map((s) => `${s.hook}:${s.plugin}`)).toEqual([
      'filter_message:filters',
      'on_chat:welcome',
      'filter_response:filters',
    ]);
    expect(exchange.logs).toContainEqual(
      expect.objectContaining({ plugin: 'welcome', message: '👋 User message:  hello there ' }),
    );
    expect((await chat.send('/help')).response.content).toBe('Commands: /help, /status, /about 🤖');
    expect((await chat.send('/status')).response.content).toBe('Jarvis is running! ✅ 🤖');
    expect((await chat.send('/weather')).answeredBy).toBeNull();
    expect(host.record('welcome')).toMatchObject({ state: 'ready', manifest: { runtime: 'lua' } });
  });

  it('should stop an endless Lua loop by its instruction limit, and keep the plugin', async () => {
    const steps = await chat.automation({ name: 'loop', type: 'manual', status: 'started' });
    expect(steps).toContainEqual(
      expect.objectContaining({
        plugin: 'runaway',
        error: expect.objectContaining({ message: expect.stringContaining('instruction') }),
      }),
    );
    expect(await chat.automation({ name: 'ok', type: 'manual', status: 'done' })).toContainEqual(
      expect.objectContaining({ plugin: 'runaway', result: { fine: 'ok' } }),
    );
  });

  it('should stop a memory bomb by the plugin’s memory cap, and keep the plugin', async () => {
    const steps = await chat.automation({ name: 'bomb', type: 'manual', status: 'started' });
    expect(steps).toContainEqual(
      expect.objectContaining({
        plugin: 'runaway',
        error: expect.objectContaining({ message: expect.stringMatching(/memory/) }),
      }),
    );
    expect((await chat.send('/help')).response.content).toBe('Commands: /help, /status, /about 🤖');
  });

  it('should stop a C-level hog by the call deadline, the Lua worker with it, while a TypeScript plugin keeps answering', async () => {
    const hog = chat.automation({ name: 'hog', type: 'manual', status: 'started' });
    expect(await host.run('typescript', {})).toBe('still here');
    await hog;
    for (let i = 0; i < 200 && host.record('runaway')?.state !== 'error'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(host.record('runaway')).toMatchObject({
      state: 'error',
      reasonCode: 'JOVIAN_E_PLUGIN_CRASHED',
      reason: expect.stringContaining('did not answer'),
    });
    expect(await host.run('typescript', {})).toBe('still here');
  });
});
