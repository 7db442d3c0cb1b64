/**
 * Lua plugins through the real host: the seed's plugins, verbatim, in hardened Lua states inside the
 * shared Lua worker, answering the chat hooks; a runaway Lua plugin is stopped while its neighbours
 * and a TypeScript plugin keep answering.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  let server: Server;
  let port: number;

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
    await fixture.add('counter', {
      manifest: { runtime: 'lua', main: 'main.lua' },
      files: {
        'main.lua': `function run(input)
                       local n = (jovian.state.get("n") or 0) + 1
                       jovian.state.set("n", n)
                       return { n = n }
                     end`,
      },
    });
    server = createServer((request, response) => {
      response.end(`hello from ${request.method} ${request.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const fetcher = `function run(input)
                       local r, problem = jovian.http.get(input.url)
                       if r then return { status = r.status, body = r.body } end
                       return { problem = problem }
                     end`;
    await fixture.add('fetcher', {
      manifest: { runtime: 'lua', main: 'main.lua' },
      files: { 'main.lua': fetcher },
    });
    await fixture.add('granted', {
      manifest: {
        runtime: 'lua',
        main: 'main.lua',
        permissions: { network_outbound: [`127.0.0.1:${port}`] },
      },
      files: { 'main.lua': fetcher },
    });
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
    server?.close();
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

  it('should reach the network through the host’s broker, only where the manifest grants it', async () => {
    const url = `http://127.0.0.1:${port}/ping`;
    const refused = (await host.run('fetcher', { url })) as { problem: string };
    expect(refused.problem).toContain('network_outbound');
    expect(await host.run('granted', { url })).toEqual({ status: 200, body: 'hello from GET /ping' });
    const elsewhere = (await host.run('granted', { url: 'http://127.0.0.2:9/' })) as { problem: string };
    expect(elsewhere.problem).toContain('plugin `granted` may not connect to 127.0.0.2:9');
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

  it('should stop a C-level hog by the call deadline, the Lua worker with it, while a TypeScript plugin keeps answering and the other Lua plugins come back with their state', async () => {
    expect(await host.run('counter', {})).toEqual({ n: 1 });
    expect(await host.run('counter', {})).toEqual({ n: 2 });
    const restarted: string[] = [];
    const watch = host.events.subscribe('plugin.state', (event) => {
      const change = event.payload as { id: string; to: string };
      if (change.to === 'stopped') restarted.push(change.id);
    });
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
    watch.dispose();
    // Its neighbours in the Lua worker were stopped with it, not for their own fault: they are started
    // again at once, their persisted state intact, and keep answering.
    expect(restarted).toEqual(expect.arrayContaining(['counter', 'commands', 'filters', 'welcome']));
    expect(await host.run('counter', {})).toEqual({ n: 3 });
    expect((await chat.send('/help')).response.content).toBe('Commands: /help, /status, /about 🤖');
    for (const id of ['counter', 'commands', 'filters', 'welcome']) {
      expect(host.record(id)?.state).toBe('ready');
      expect(host.record(id)?.failures).toBe(0);
    }
  });
});
