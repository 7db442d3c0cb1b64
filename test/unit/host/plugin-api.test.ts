import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsyncSeriesHook, createHost, type PluginHost } from '../../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

describe('the plugin API (ctx)', () => {
  let fixture: Fixture;
  let host: PluginHost;
  let server: Server | undefined;

  beforeEach(async () => {
    fixture = await createFixture();
  });
  afterEach(async () => {
    await host?.stop();
    server?.close();
    server = undefined;
    await fixture.cleanup();
  });

  async function start(options: { strictClone?: boolean; hooks?: Record<string, AsyncSeriesHook<[]>> } = {}) {
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      projectFile: join(fixture.root, 'p.jovian.yaml'),
      manifestCache: false,
      isolation: AS_DECLARED,
      strictClone: options.strictClone ?? true,
      hooks: options.hooks,
      callTimeoutMs: 3_000,
    });
    await host.start();
    return host;
  }

  describe('structured cloning', () => {
    it('should make every ctx call async and let every value round-trip through structuredClone', async () => {
      await fixture.add('peer', { code: 'export default { api: { echo: (v) => v } };' });
      await fixture.add('prober', {
        manifest: {
          dependencies: [{ id: 'peer' }],
          contributes: {
            hooks: ['probe'],
            events: { emit: ['probe.ping'], subscribe: ['probe.*'] },
            commands: [{ name: 'probe' }],
            routes: [{ path: '/p' }],
            ui: { panels: [{ id: 'p' }] },
            jobs: { handlers: [{ name: 'p' }] },
          },
          config_schema: {
            version: 1,
            schema: { type: 'object', properties: { n: { type: 'number', default: 1 } } },
          },
          permissions: {
            fs_read: true,
            fs_write: true,
            run_commands: ['node'],
            network_outbound: ['127.0.0.1'],
          },
        },
        code: `
export default {
  async run(_input, ctx) {
    const calls = {
      'logger.debug': () => ctx.logger.debug('d', { when: new Date(0) }),
      'logger.info': () => ctx.logger.info('i'),
      'logger.warn': () => ctx.logger.warn('w'),
      'logger.error': () => ctx.logger.error('e'),
      'config.get': () => ctx.config.get('n'),
      'config.set': () => ctx.config.set('n', 2),
      'config.onDidChange': () => ctx.config.onDidChange(() => {}),
      'state.get': () => ctx.state.get('k'),
      'state.set': () => ctx.state.set('k', { list: [1, 2], nested: { ok: true } }),
      'state.delete': () => ctx.state.delete('k'),
      'state.keys': () => ctx.state.keys(),
      'hooks.tap': () => ctx.hooks.tap('probe', () => undefined),
      'events.emit': () => ctx.events.emit('probe.ping', { at: new Map([['a', 1]]) }),
      'events.on': () => ctx.events.on('probe.*', () => {}),
      'plugins.has': () => ctx.plugins.has('peer'),
      'plugins.get': async () => (await ctx.plugins.get('peer')).echo(new Set([1, 2])),
      'contributions.registerCommand': () => ctx.contributions.registerCommand('probe', () => 'ok'),
      'contributions.registerRoute': () => ctx.contributions.registerRoute('GET', '/p', () => ({ body: 1 })),
      'contributions.registerPanel': () => ctx.contributions.registerPanel('p', () => 1),
      'fs.writeFile': () => ctx.fs.writeFile('probe.txt', new Uint8Array([104, 105])),
      'fs.readFile': () => ctx.fs.readFile('probe.txt'),
      'fs.readText': () => ctx.fs.readText('probe.txt'),
      'fs.readdir': () => ctx.fs.readdir('.'),
      'fs.stat': () => ctx.fs.stat('probe.txt'),
      'http.fetch': () => ctx.http.fetch('http://127.0.0.1:1/').catch((e) => e.code),
      'runner.run': () => ctx.runner.run('node', ['-e', 'process.stdout.write("ran")']),
      'jobs.register': () => ctx.jobs.register('p', (params) => params),
      'jobs.submit': () => ctx.jobs.submit('p', { when: new Date(0) }),
      'jobs.current': () => ctx.jobs.current(),
    };
    const walked = [];
    const walk = (object, prefix) => {
      for (const [key, value] of Object.entries(object)) {
        if (typeof value === 'function') walked.push(prefix + key);
        else if (value && typeof value === 'object') walk(value, prefix + key + '.');
      }
    };
    walk(ctx, '');
    const results = {};
    for (const [name, call] of Object.entries(calls)) {
      const returned = call();
      if (!(returned instanceof Promise)) throw new Error(name + ' is not async');
      results[name] = await returned;
    }
    return { walked: walked.sort(), results: { readText: results['fs.readText'], run: results['runner.run'].stdout, echo: results['plugins.get'], has: results['plugins.has'], n: results['config.get'] } };
  },
};`,
      });
      await start({ hooks: { probe: new AsyncSeriesHook<[]>({ name: 'probe' }) } });
      const report = (await host.run('prober', {})) as { walked: string[]; results: Record<string, unknown> };
      const exercised = [
        'logger.debug',
        'logger.info',
        'logger.warn',
        'logger.error',
        'config.get',
        'config.set',
        'config.onDidChange',
        'state.get',
        'state.set',
        'state.delete',
        'state.keys',
        'hooks.tap',
        'events.emit',
        'events.on',
        'plugins.has',
        'plugins.get',
        'contributions.registerCommand',
        'contributions.registerRoute',
        'contributions.registerPanel',
        'fs.writeFile',
        'fs.readFile',
        'fs.readText',
        'fs.readdir',
        'fs.stat',
        'http.fetch',
        'runner.run',
        'jobs.register',
        'jobs.submit',
        'jobs.current',
      ].sort();
      expect(report.walked).toEqual(exercised);
      expect(report.results).toEqual({ readText: 'hi', run: 'ran', echo: new Set([1, 2]), has: true, n: 1 });
    });

    it('should refuse a value that would not survive an isolated runtime', async () => {
      await fixture.add('careless', {
        code: "export default { async run(_i, ctx) { await ctx.state.set('fn', { callback() {} }); } };",
      });
      await start();
      await expect(host.run('careless', {})).rejects.toMatchObject({ code: 'JOVIAN_E_NOT_CLONEABLE' });
    });

    it('should reject a function passed to a strict-clone host, but accept it in-process without cloning', async () => {
      await fixture.add('fnlogger', {
        code: "export default { async run(_i, ctx) { await ctx.logger.info('x', { f: () => 1 }); return 'ok'; } };",
      });
      await start({ strictClone: false });
      expect(await host.run('fnlogger', {})).toBe('ok');
    });
  });

  describe('ctx.config', () => {
    it('should serve defaults < config.yaml < project overrides, validate writes and notify listeners', async () => {
      await writeFile(
        join(fixture.root, 'p.jovian.yaml'),
        'plugins:\n  tuned:\n    config_overrides:\n      level: 3\n',
      );
      await mkdir(join(fixture.dataDir, 'plugin-data', 'tuned'), { recursive: true });
      await writeFile(
        join(fixture.dataDir, 'plugin-data', 'tuned', 'config.yaml'),
        '# my settings\nname: custom\n',
      );
      await fixture.add('tuned', {
        manifest: {
          config_schema: {
            version: 1,
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: { type: 'string' },
                level: { type: 'integer', maximum: 5 },
                color: { type: 'string', default: 'blue' },
              },
            },
          },
        },
        code: `export default { async run(input, ctx) {
          const seen = [];
          await ctx.config.onDidChange((c) => seen.push(c.keys));
          const before = await ctx.config.get();
          let refused;
          try { await ctx.config.set('level', 9); } catch (e) { refused = e.code + ' ' + e.message; }
          await ctx.config.set('color', 'red');
          return { before, refused, after: await ctx.config.get(), seen };
        } };`,
      });
      await start();
      const result = (await host.run('tuned', {})) as Record<string, unknown>;
      expect(result.before).toEqual({ name: 'custom', level: 3, color: 'blue' });
      expect(result.refused).toBe('JOVIAN_E_CONFIG_INVALID `level` must be <= 5');
      expect(result.after).toEqual({ name: 'custom', level: 3, color: 'red' });
      expect(result.seen).toEqual([['color']]);
      const file = await readFile(join(fixture.dataDir, 'plugin-data', 'tuned', 'config.yaml'), 'utf8');
      expect(file).toContain('# my settings');
      expect(file).toContain('color: red');
    });

    it('should run config migrations at activation, keeping a backup', async () => {
      await mkdir(join(fixture.dataDir, 'plugin-data', 'evolving'), { recursive: true });
      await writeFile(join(fixture.dataDir, 'plugin-data', 'evolving', 'config.yaml'), 'colour: red\n');
      await fixture.add('evolving', {
        manifest: {
          config_schema: {
            version: 2,
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: { color: { type: 'string' } },
            },
          },
        },
        code: "export default { migrations: { 2: (old) => ({ color: old.colour }) }, async run(_i, ctx) { return ctx.config.get('color'); } };",
      });
      await start();
      expect(await host.run('evolving', {})).toBe('red');
      const dir = join(fixture.dataDir, 'plugin-data', 'evolving');
      expect(await readFile(join(dir, 'config.yaml.v1.bak'), 'utf8')).toBe('colour: red\n');
      expect(await readFile(join(dir, 'config.yaml'), 'utf8')).toContain('$version: 2');
    });
  });

  describe('ctx.state', () => {
    it('should persist state across host restarts', async () => {
      await fixture.add('counter', {
        code: "export default { async run(_i, ctx) { const n = ((await ctx.state.get('n')) ?? 0) + 1; await ctx.state.set('n', n); return n; } };",
      });
      await start();
      expect(await host.run('counter', {})).toBe(1);
      await host.stop();
      await start();
      expect(await host.run('counter', {})).toBe(2);
    });
  });

  describe('ctx.plugins', () => {
    it('should call a declared dependency’s API, activating it, and refuse undeclared ones', async () => {
      await fixture.add('math', {
        code: 'export default { api: { add(a, b) { return a + b; }, async twice(n) { return n * 2; } } };',
      });
      await fixture.add('other', { code: 'export default { api: { secret: () => 42 } };' });
      await fixture.add('consumer', {
        manifest: { dependencies: [{ id: 'math' }, { id: 'absent', optional: true }] },
        code: `export default { async run(_i, ctx) {
          const math = await ctx.plugins.get('math');
          const absent = await ctx.plugins.get('absent');
          let refused;
          try { await ctx.plugins.get('other'); } catch (e) { refused = e.code; }
          return { sum: await math.add(2, 3), twice: await math.twice(4), absent: absent === undefined, hasOther: await ctx.plugins.has('other'), refused };
        } };`,
      });
      await start();
      expect(await host.run('consumer', {})).toEqual({
        sum: 5,
        twice: 8,
        absent: true,
        hasOther: true,
        refused: 'JOVIAN_E_PLUGIN_API_UNAVAILABLE',
      });
      expect(host.record('math')?.outcome.activatedBy).toBe('dependency of consumer');
      expect(host.audit.recent({ action: 'plugins.get' }).map((r) => [r.target, r.decision])).toEqual([
        ['math', 'allow'],
        ['absent', 'allow'],
        ['other', 'deny'],
      ]);
    });
  });

  describe('ctx.events', () => {
    it('should refuse to emit a topic the manifest does not declare', async () => {
      await fixture.add('loud', {
        manifest: { contributes: { events: { emit: ['weather.*'] } } },
        code: "export default { async run(_i, ctx) { await ctx.events.emit('weather.updated', 1); try { await ctx.events.emit('billing.charged', 1); } catch (e) { return e.code; } } };",
      });
      await start();
      expect(await host.run('loud', {})).toBe('JOVIAN_E_EVENT_UNDECLARED');
    });
  });

  describe('ctx.fs', () => {
    it('should allow the data folder, refuse what is not granted and audit both', async () => {
      await fixture.add('reader', {
        code: `export default { async run(input, ctx) {
          await ctx.fs.writeFile(ctx.paths.data + '/note.txt', 'mine');
          try { await ctx.fs.readText(input.outside); } catch (e) { return { code: e.code, message: e.message, hint: e.hint, mine: await ctx.fs.readText(ctx.paths.data + '/note.txt') }; }
        } };`,
      });
      await start();
      await writeFile(join(fixture.root, 'secret.txt'), 'secret');
      const result = (await host.run('reader', { outside: join(fixture.root, 'secret.txt') })) as Record<
        string,
        string
      >;
      expect(result.mine).toBe('mine');
      expect(result.code).toBe('JOVIAN_E_PERMISSION_DENIED');
      expect(result.hint).toContain('fs_read');
      expect(host.audit.recent({ plugin: 'reader', decision: 'deny' })).toHaveLength(1);
    });

    it('should judge a symlink by where it leads', async () => {
      const granted = join(fixture.root, 'granted');
      await mkdir(granted);
      await writeFile(join(fixture.root, 'outside.txt'), 'nope');
      await symlink(join(fixture.root, 'outside.txt'), join(granted, 'link.txt'));
      await fixture.add('linker', {
        manifest: { permissions: { fs_read: [granted] } },
        code: 'export default { async run(input, ctx) { try { return await ctx.fs.readText(input.path); } catch (e) { return e.code; } } };',
      });
      await start();
      expect(await host.run('linker', { path: join(granted, 'link.txt') })).toBe(
        'JOVIAN_E_PERMISSION_DENIED',
      );
      expect(await host.run('linker', { path: join(granted, '..', 'outside.txt') })).toBe(
        'JOVIAN_E_PERMISSION_DENIED',
      );
    });
  });

  describe('ctx.http', () => {
    it('should reach a loopback server only when the grant names it', async () => {
      server = createServer((_req, res) => res.end('pong'));
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const code =
        'export default { async run(input, ctx) { try { const r = await ctx.http.fetch(input.url); return new TextDecoder().decode(r.body); } catch (e) { return e.code; } } };';
      await fixture.add('allowed', {
        manifest: { permissions: { network_outbound: [`127.0.0.1:${port}`] } },
        code,
      });
      await fixture.add('open', { manifest: { permissions: { network_outbound: true } }, code });
      await fixture.add('closed', { code });
      await start();
      const url = `http://127.0.0.1:${port}/ping`;
      expect(await host.run('allowed', { url })).toBe('pong');
      expect(await host.run('open', { url })).toBe('JOVIAN_E_PERMISSION_DENIED');
      expect(await host.run('closed', { url })).toBe('JOVIAN_E_PERMISSION_DENIED');
    });
  });

  describe('ctx.runner', () => {
    it('should run granted commands only, without a shell, and report their output', async () => {
      await fixture.add('shell', {
        manifest: { permissions: { run_commands: ['node'] } },
        code: `export default { async run(_i, ctx) {
          const ok = await ctx.runner.run('node', ['-e', 'console.log(process.argv[1])', '$(whoami); echo hacked']);
          let refused; try { await ctx.runner.run('sh', ['-c', 'echo hi']); } catch (e) { refused = e.code; }
          return { out: ok.stdout.trim(), exit: ok.exitCode, refused };
        } };`,
      });
      await start();
      expect(await host.run('shell', {})).toEqual({
        out: '$(whoami); echo hacked',
        exit: 0,
        refused: 'JOVIAN_E_PERMISSION_DENIED',
      });
    });
  });
});
