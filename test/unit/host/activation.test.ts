import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AsyncSeriesWaterfallHook,
  createHost,
  type PluginHost,
  SyncSeriesWaterfallHook,
} from '../../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

const hooks = () => ({
  shout: new AsyncSeriesWaterfallHook<string>({ name: 'shout' }),
  trim: new SyncSeriesWaterfallHook<string>({ name: 'trim' }),
});
type Hooks = ReturnType<typeof hooks>;

describe('lazy activation', () => {
  let fixture: Fixture;
  let host: PluginHost<Hooks>;

  beforeEach(async () => {
    fixture = await createFixture();
  });
  afterEach(async () => {
    await host?.stop();
    await fixture.cleanup();
  });

  async function start() {
    host = createHost({
      hooks: hooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      activationTimeoutMs: 500,
      manifestCache: false,
      isolation: AS_DECLARED,
    });
    await host.start();
    return host;
  }

  it('should load a plugin on the first call of a hook it taps (onHook), not before', async () => {
    await fixture.add('shouter', {
      manifest: { contributes: { hooks: ['shout'] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('shout', (s) => s.toUpperCase() + '!'); } };",
    });
    await start();
    expect(host.record('shouter')?.manifest?.activation).toEqual(['onHook:shout']);
    expect(host.record('shouter')?.state).toBe('resolved');
    expect(await host.hooks.shout.call('hey')).toBe('HEY!');
    expect(host.record('shouter')?.state).toBe('ready');
    expect(host.record('shouter')?.outcome.activatedBy).toBe('onHook:shout');
    expect(await host.hooks.shout.call('again')).toBe('AGAIN!');
  });

  it('should keep the hook order of the manifests whichever plugin activates first', async () => {
    await fixture.add('first', {
      manifest: { contributes: { hooks: [{ name: 'shout', stage: -1 }] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('shout', (s) => s + '1'); } };",
    });
    await fixture.add('second', {
      manifest: { contributes: { hooks: ['shout'] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('shout', (s) => s + '2'); } };",
    });
    await start();
    await host.activate('second');
    expect(await host.hooks.shout.call('')).toBe('12');
    expect(host.hooks.shout.taps.map((t) => t.name)).toEqual(['first', 'second']);
  });

  it('should start a plugin that taps a synchronous hook with the host', async () => {
    await fixture.add('trimmer', {
      manifest: { contributes: { hooks: ['trim'] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('trim', (s) => s.trim()); } };",
    });
    await start();
    expect(host.record('trimmer')?.state).toBe('ready');
    expect(host.hooks.trim.call('  x  ')).toBe('x');
  });

  it('should load a plugin for its command (onCommand) and pass the invocation', async () => {
    await fixture.add('greeter', {
      manifest: {
        activation: ['onCommand:greet'],
        contributes: { commands: [{ name: 'greet', description: 'Say hello' }] },
      },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this string is the plugin's source code.
      code: "export default { async activate(ctx) { await ctx.contributions.registerCommand('greet', (inv) => `hello ${inv.args[0]}${inv.options.loud ? '!' : ''}`); } };",
    });
    await start();
    expect(host.commands()).toEqual([
      { kind: 'command', key: 'greet', pluginId: 'greeter', description: 'Say hello', bound: false },
    ]);
    expect(host.record('greeter')?.state).toBe('resolved');
    expect(await host.invokeCommand('greet', { args: ['ada'], options: { loud: true } })).toBe('hello ada!');
    expect(host.record('greeter')?.outcome.activatedBy).toBe('onCommand:greet');
  });

  it('should say which commands are unknown or declared without a handler', async () => {
    await fixture.add('lazybones', { manifest: { contributes: { commands: [{ name: 'work' }] } } });
    await start();
    await expect(host.invokeCommand('nothing', { args: [], options: {} })).rejects.toMatchObject({
      code: 'JOVIAN_E_COMMAND_UNKNOWN',
    });
    await expect(host.invokeCommand('work', { args: [], options: {} })).rejects.toMatchObject({
      code: 'JOVIAN_E_CONTRIBUTION_NOT_REGISTERED',
      message: 'plugin `lazybones` declares command `work` but registered no handler for it',
    });
  });

  it('should load a subscriber for the first matching event (onEvent) and deliver that event', async () => {
    await fixture.add('emitter', { manifest: { contributes: { events: { emit: ['order.created'] } } } });
    await fixture.add('listener', {
      manifest: { contributes: { events: { subscribe: ['order.*'] } } },
      code: "export default { async activate(ctx) { await ctx.events.on('order.*', async (e) => { await ctx.state.set('last', e.payload); }); } };",
    });
    await start();
    expect(host.record('listener')?.state).toBe('resolved');
    host.events.emit('order.created', { id: 7 });
    await host.events.flush();
    expect(host.record('listener')?.state).toBe('ready');
    expect(host.record('listener')?.outcome.activatedBy).toBe('onEvent:order.*');
    const state = await host.plugins.stores.stateAccess(host.record('listener')!).get('last');
    expect(state).toEqual({ id: 7 });
  });

  it('should load a plugin for its route (onRoute) and its panel (onPanel)', async () => {
    await fixture.add('webby', {
      manifest: {
        contributes: { routes: [{ method: 'GET', path: '/items/:id' }], ui: { panels: [{ id: 'main' }] } },
      },
      code: `export default { async activate(ctx) {
        await ctx.contributions.registerRoute('GET', '/items/:id', (req) => ({ status: 200, body: { id: req.params.id, q: req.query.q } }));
        await ctx.contributions.registerPanel('main', (req) => ({ panel: 'main', asked: req }));
      } };`,
    });
    await start();
    const response = await host.invokeRoute('webby', {
      method: 'GET',
      path: '/items/42',
      params: {},
      query: { q: 'x' },
      body: null,
    });
    expect(response).toEqual({ status: 200, body: { id: '42', q: 'x' } });
    expect(host.record('webby')?.outcome.activatedBy).toBe('onRoute:/items/:id');
    expect(await host.invokePanel('webby', 'main', { page: 1 })).toEqual({
      panel: 'main',
      asked: { page: 1 },
    });
    await expect(
      host.invokeRoute('webby', { method: 'POST', path: '/items/1', params: {}, query: {}, body: null }),
    ).rejects.toMatchObject({
      code: 'JOVIAN_E_CONTRIBUTION_UNDECLARED',
    });
  });

  it('should fail the activation of a plugin that taps a hook it did not declare', async () => {
    await fixture.add('sneaky', {
      manifest: { activation: ['onStartup'] },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('shout', (s) => s); } };",
    });
    await start();
    expect(host.record('sneaky')).toMatchObject({ state: 'error' });
    expect(host.record('sneaky')?.reason).toContain(
      'tapped hook `shout`, which its manifest does not declare',
    );
  });

  it('should refuse a command registered but not declared', async () => {
    await fixture.add('rogue', {
      manifest: { activation: ['onStartup'] },
      code: "export default { async activate(ctx) { await ctx.contributions.registerCommand('rm-rf', () => 'no'); } };",
    });
    await start();
    expect(host.record('rogue')?.reason).toContain(
      'registered command `rm-rf`, which its manifest does not declare',
    );
  });

  it('should fire an activation event for every plugin that lists it', async () => {
    await fixture.add('one', { manifest: { activation: ['onPanel:dashboard'] } });
    await fixture.add('two', { manifest: { activation: ['onPanel:dashboard'] } });
    await fixture.add('three');
    await start();
    await host.fire('onPanel:dashboard');
    expect(['one', 'two', 'three'].map((id) => host.record(id)?.state)).toEqual([
      'ready',
      'ready',
      'resolved',
    ]);
  });

  it('should stream log lines as plugin.log events, and survive a subscriber that fails on them', async () => {
    await fixture.add('chatty', {
      code: "export default { async run(_i, ctx) { await ctx.logger.info('hello', { n: 1 }); } };",
    });
    await fixture.add('grumpy', {
      manifest: { activation: ['onStartup'], contributes: { events: { subscribe: ['plugin.log'] } } },
      code: "export default { async activate(ctx) { await ctx.events.on('plugin.log', () => { throw new Error('nope'); }); } };",
    });
    await start();
    const lines: unknown[] = [];
    host.events.subscribe('plugin.log', (e) => void lines.push(e.payload));
    await host.run('chatty', {});
    await host.events.flush();
    expect(lines).toContainEqual(
      expect.objectContaining({ plugin: 'chatty', level: 'info', message: 'hello', data: { n: 1 } }),
    );
    expect(host.record('grumpy')?.failures).toBeGreaterThan(0);
    expect(host.logs.tail('grumpy')).toEqual([]);
  });

  it('should isolate a failing plugin tap and charge it to the plugin', async () => {
    await fixture.add('faulty', {
      manifest: { contributes: { hooks: ['shout'] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('shout', () => { throw new Error('nope'); }); } };",
    });
    await fixture.add('good', {
      manifest: { contributes: { hooks: ['shout'] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('shout', (s) => s + '!'); } };",
    });
    await start();
    expect(await host.hooks.shout.call('ok')).toBe('ok!');
    expect(host.record('faulty')?.failures).toBe(1);
    expect(host.logs.tail('faulty').at(-1)?.message).toBe('hook `shout` tap `faulty` threw: nope');
  });
});
