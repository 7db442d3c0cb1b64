import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorReport, PluginDetails, PluginSummary } from '../../src/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { jovian, ROOT } from './cli-helpers.js';

describe('jovian (command line)', () => {
  let fixture: Fixture;
  let base: string[];

  beforeEach(async () => {
    fixture = await createFixture();
    base = ['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir];
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  describe('plugins list', () => {
    it('should list every plugin with its state as stable JSON, without loading any', async () => {
      await fixture.add('quiet', { code: "throw new Error('loaded!');" });
      await fixture.add('orphan', { manifest: { dependencies: [{ id: 'ghost' }] } });
      const result = await jovian([...base, 'plugins', 'list', '--json']);
      expect(result.code).toBe(0);
      const { plugins } = result.json<{ plugins: PluginSummary[] }>();
      expect(plugins).toEqual([
        {
          id: 'orphan',
          name: 'orphan',
          type: 'tool',
          version: '1.0.0',
          runtime: 'process',
          state: 'blocked',
          reason: 'plugin `orphan` requires `ghost`, which is not installed',
          reasonCode: 'JOVIAN_E_DEPENDENCY_MISSING',
          legacy: false,
          breaker: 'closed',
          trust: 'unsigned',
          signature: null,
          dev_unsigned: false,
          permissions: { fs_read: false, fs_write: false, run_commands: false, network_outbound: false },
        },
        {
          id: 'quiet',
          name: 'quiet',
          type: 'tool',
          version: '1.0.0',
          runtime: 'process',
          state: 'resolved',
          reason: null,
          reasonCode: null,
          legacy: false,
          breaker: 'closed',
          trust: 'unsigned',
          signature: null,
          dev_unsigned: false,
          permissions: { fs_read: false, fs_write: false, run_commands: false, network_outbound: false },
        },
      ]);
    });

    it('should include core plugins with --all and print a table otherwise', async () => {
      await fixture.add('alpha');
      const all = (await jovian([...base, 'plugins', 'list', '--json', '--all'])).json<{
        plugins: PluginSummary[];
      }>();
      expect(all.plugins.map((p) => `${p.id}:${p.type}`)).toEqual([
        'bridge:core',
        'settings:core',
        'alpha:tool',
      ]);
      const table = await jovian([...base, 'plugins', 'list']);
      expect(table.stdout.split('\n')[0]).toMatch(
        /^ID\s+NAME\s+TYPE\s+VERSION\s+RUNTIME\s+STATE\s+TRUST\s+BREAKER\s+REASON$/,
      );
      expect(table.stdout).toMatch(/alpha\s+alpha\s+tool\s+1\.0\.0\s+process\s+resolved\s+unsigned\s+closed/);
    });
  });

  describe('lazy activation through a command', () => {
    it('should not load an onCommand plugin for `plugins list`, and load it for its command', async () => {
      // The plugin runs in its own process (the default for unsigned plugins), which may write only
      // in its data folder, its working folder.
      const marker = join(fixture.dataDir, 'plugin-data', 'hello', 'loaded.txt');
      await fixture.add('hello', {
        manifest: {
          activation: ['onCommand:hello'],
          contributes: { commands: [{ name: 'hello', description: 'Greets' }] },
        },
        code: `import { appendFileSync } from 'node:fs';
appendFileSync('loaded.txt', 'import\\n');
export default { async activate(ctx) { await ctx.contributions.registerCommand('hello', (inv) => 'hello ' + (inv.args[0] ?? 'world')); } };`,
      });
      const list = await jovian([...base, 'plugins', 'list', '--json']);
      expect(list.json<{ plugins: PluginSummary[] }>().plugins[0]?.state).toBe('resolved');
      await expect(readFile(marker, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });

      const help = await jovian([...base, '--help']);
      expect(help.stdout).toMatch(/hello \[args\.\.\.\]\s+Greets \(plugin hello\)/);
      await expect(readFile(marker, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });

      const run = await jovian([...base, 'hello', 'ada']);
      expect(run.stdout).toBe('hello ada\n');
      expect(run.code).toBe(0);
      expect(await readFile(marker, 'utf8')).toBe('import\n');
    });

    it('should exit 3 for an unknown command', async () => {
      const result = await jovian([...base, 'frobnicate']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('unknown command `frobnicate` [JOVIAN_E_COMMAND_UNKNOWN]');
    });
  });

  describe('plugins doctor', () => {
    it('should name a cycle and a missing dependency at file:line:column and exit 1', async () => {
      await fixture.add('aaa', {
        yaml: 'id: aaa\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.mjs\ndependencies:\n  - id: bbb\n',
      });
      await fixture.add('bbb', {
        yaml: 'id: bbb\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.mjs\ndependencies:\n  - id: aaa\n',
      });
      await fixture.add('ccc', {
        yaml: 'id: ccc\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.mjs\ndependencies:\n  - id: zzz\n    version: ^1.0.0\n',
      });
      const result = await jovian([...base, 'plugins', 'doctor', '--json']);
      expect(result.code).toBe(1);
      const report = result.json<DoctorReport>();
      expect(report.ok).toBe(false);
      const cycle = report.diagnostics.filter((d) => d.code === 'JOVIAN_E_DEPENDENCY_CYCLE');
      expect(cycle.map((d) => [d.plugin, d.where])).toEqual([
        ['aaa', { file: join(fixture.pluginsDir, 'aaa', 'plugin.yaml'), line: 8, column: 9 }],
        ['bbb', { file: join(fixture.pluginsDir, 'bbb', 'plugin.yaml'), line: 8, column: 9 }],
      ]);
      expect(cycle[0]?.message).toContain('aaa -> bbb -> aaa');
      const missing = report.diagnostics.find((d) => d.code === 'JOVIAN_E_DEPENDENCY_MISSING');
      expect(missing).toMatchObject({
        plugin: 'ccc',
        message: 'plugin `ccc` requires `zzz`, which is not installed',
        where: { file: join(fixture.pluginsDir, 'ccc', 'plugin.yaml'), line: 8, column: 9 },
      });
      expect(report.summary).toMatchObject({ plugins: 3 });
    });

    it('should report manifest mistakes, a missing entry file and invalid config, in text too', async () => {
      await fixture.add('typo', {
        yaml: 'id: typo\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.mjs\ndescripton: oops\n',
      });
      await fixture.add('noentry', { manifest: { main: 'dist/missing.js' } });
      await fixture.add('configured', {
        manifest: {
          config_schema: {
            version: 1,
            schema: { type: 'object', properties: { retries: { type: 'integer', maximum: 3 } } },
          },
        },
      });
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(fixture.dataDir, 'plugin-data', 'configured'), { recursive: true });
      await writeFile(
        join(fixture.dataDir, 'plugin-data', 'configured', 'config.yaml'),
        '# tuned by hand\nretries: 10\n',
      );
      const result = await jovian([...base, 'plugins', 'doctor']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `${join(fixture.pluginsDir, 'typo', 'plugin.yaml')}:7:1: error: unknown field \`descripton\`; did you mean \`description\`? [JOVIAN_E_MANIFEST_UNKNOWN_FIELD]`,
      );
      expect(result.stdout).toContain(
        'error: entry file `dist/missing.js` of plugin `noentry` does not exist [JOVIAN_E_MANIFEST_MAIN_MISSING]',
      );
      expect(result.stdout).toContain(
        `${join(fixture.dataDir, 'plugin-data', 'configured', 'config.yaml')}:2:10: error: config of \`configured\`: \`retries\` must be <= 3 [JOVIAN_E_CONFIG_INVALID]`,
      );
    });

    it('should compile Lua plugins without running them and report a syntax error at its line', async () => {
      await writeFile(
        join(fixture.pluginsDir, 'broken.lua'),
        `-- @id broken\n-- @version 1.0.0\n\nfunction on_chat(message)\n  if message then\n    return { seen = true }\nend\n`,
      );
      await writeFile(
        join(fixture.pluginsDir, 'fine.lua'),
        `-- @id fine\n-- @version 1.0.0\nerror("the doctor must not run plugin code")\nfunction on_chat(message) return nil end\n`,
      );
      const result = await jovian([...base, 'plugins', 'doctor', '--json']);
      expect(result.code).toBe(1);
      const errors = result.json<DoctorReport>().diagnostics.filter((d) => d.severity === 'error');
      expect(errors).toEqual([
        expect.objectContaining({
          code: 'JOVIAN_E_LUA_SYNTAX',
          plugin: 'broken',
          message: "plugin `broken`: 'end' expected (to close 'function' at line 4) near <eof>",
          where: { file: join(fixture.pluginsDir, 'broken.lua'), line: 8, column: 1 },
        }),
      ]);
    });

    it('should exit 0 on the shipped examples', async () => {
      const result = await jovian([
        '--plugins-dir',
        join(ROOT, 'examples', 'plugins'),
        '--data-dir',
        fixture.dataDir,
        '--allow-inprocess',
        'legacy_echo,legacy_greeter',
        'plugins',
        'doctor',
        '--json',
      ]);
      const report = result.json<DoctorReport>();
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.code).toBe(0);
    });
  });

  describe('plugins info / enable / disable / graph', () => {
    it('should show details, switch a plugin off and on, and cascade to its dependents', async () => {
      await fixture.add('base', { manifest: { name: 'Base', description: 'The base' } });
      await fixture.add('top', { manifest: { dependencies: [{ id: 'base', version: '^1' }] } });
      const info = (await jovian([...base, 'plugins', 'info', 'top', '--json'])).json<PluginDetails>();
      expect(info).toMatchObject({
        id: 'top',
        state: 'resolved',
        dependencies: [{ id: 'base', version: '^1', optional: false }],
        permissions: { fs_read: false },
      });

      const disabled = await jovian([...base, 'plugins', 'disable', 'base']);
      expect(disabled.code).toBe(0);
      expect(disabled.stdout).toContain(`base disabled in ${join(fixture.dataDir, 'jovian.yaml')}`);
      const states = (await jovian([...base, 'plugins', 'list', '--json'])).json<{
        plugins: PluginSummary[];
      }>().plugins;
      expect(states.map((p) => [p.id, p.state, p.reason])).toEqual([
        ['base', 'disabled', 'disabled by configuration'],
        ['top', 'blocked', 'needs `base`, which is disabled'],
      ]);

      await jovian([...base, 'plugins', 'enable', 'base']);
      const again = (await jovian([...base, 'plugins', 'list', '--json'])).json<{
        plugins: PluginSummary[];
      }>().plugins;
      expect(again.map((p) => p.state)).toEqual(['resolved', 'resolved']);
      expect(await readFile(join(fixture.dataDir, 'jovian.yaml'), 'utf8')).toBe(
        'plugins:\n  base:\n    enabled: true\n',
      );
    });

    it('should exit 3 for an unknown plugin and print the error as JSON with --json', async () => {
      const result = await jovian([...base, 'plugins', 'info', 'nope', '--json']);
      expect(result.code).toBe(3);
      expect(result.json()).toMatchObject({
        code: 'JOVIAN_E_PLUGIN_NOT_FOUND',
        error: expect.stringContaining('no plugin `nope`'),
      });
    });

    it('should draw the graph as Mermaid', async () => {
      await fixture.add('base');
      await fixture.add('top', { manifest: { dependencies: [{ id: 'base' }] } });
      const result = await jovian([...base, 'plugins', 'graph', '--mermaid']);
      expect(result.stdout).toContain('flowchart TD');
      expect(result.stdout).toContain('n_top --> n_base');
    });
  });

  describe('run', () => {
    beforeEach(async () => {
      await fixture.add('adder', {
        manifest: {
          inputs: {
            type: 'object',
            required: ['a', 'b'],
            properties: { a: { type: 'number' }, b: { type: 'number' } },
          },
        },
        code: "export default { run(input) { if (input.a < 0) throw new Error('negative'); return { sum: input.a + input.b }; } };",
      });
    });

    it('should validate the input, call run() and print JSON', async () => {
      const result = await jovian([...base, 'run', 'adder', '--input', '{"a": 2, "b": 3}']);
      expect(result.code).toBe(0);
      expect(result.json()).toEqual({ sum: 5 });
    });

    it.each([
      [
        ['--input', '{"a": 2}'],
        4,
        'JOVIAN_E_RUN_INPUT_INVALID',
        'input of `adder` is invalid: `input.b` is required',
      ],
      [['--input', '{not json'], 2, 'JOVIAN_E_CLI_BAD_JSON', '--input is not valid JSON'],
      [['--input', '{"a": -1, "b": 0}'], 1, 'JOVIAN_E_RUN_FAILED', 'plugin `adder`: run() failed: negative'],
    ])('should print {"error", "code"} and exit non-zero for %j', async (args, exit, code, message) => {
      const result = await jovian([...base, 'run', 'adder', ...args]);
      expect(result.code).toBe(exit);
      expect(result.json()).toMatchObject({ code, error: expect.stringContaining(message) });
    });
  });

  describe('deadlines', () => {
    it.each([
      [
        'activate',
        'export default { activate() { return new Promise(() => {}); }, run() { return 1; } };',
        'JOVIAN_E_ACTIVATION_TIMEOUT',
        'plugin `stuck` did not activate within 300 ms',
      ],
      [
        'run',
        'export default { run() { return new Promise(() => {}); } };',
        'JOVIAN_E_CALL_TIMEOUT',
        'plugin `stuck`: run() did not finish within 300 ms',
      ],
    ])(
      'should report a plugin whose %s() never settles, instead of hanging or exiting silently',
      async (_what, code, errorCode, message) => {
        await fixture.add('stuck', { manifest: { limits: { timeout_ms: 300 } }, code });
        const result = await jovian([...base, 'run', 'stuck']);
        expect(result.code).toBe(1);
        expect(result.json()).toMatchObject({ code: errorCode, error: message });
      },
    );
  });

  describe('config', () => {
    it('should get the effective config and set a validated value, keeping comments', async () => {
      await fixture.add('tuned', {
        manifest: {
          config_schema: {
            version: 1,
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: {
                level: { type: 'integer', minimum: 1, maximum: 5, default: 2 },
                name: { type: 'string' },
              },
            },
          },
        },
      });
      expect((await jovian([...base, 'config', 'get', 'tuned', '--json'])).json()).toEqual({ level: 2 });
      const set = await jovian([...base, 'config', 'set', 'tuned', 'level', '4']);
      expect(set.code).toBe(0);
      expect((await jovian([...base, 'config', 'get', 'tuned', 'level'])).stdout).toBe('4\n');
      const bad = await jovian([...base, 'config', 'set', 'tuned', 'level', '9']);
      expect(bad.code).toBe(4);
      expect(bad.stderr).toContain('`level` must be <= 5 [JOVIAN_E_CONFIG_INVALID]');
      const typo = await jovian([...base, 'config', 'set', 'tuned', 'nmae', 'x']);
      expect(typo.stderr).toContain('`nmae` is not a known field; did you mean `name`?');
      expect((await jovian([...base, 'config', 'get', 'tuned', '--json'])).json()).toEqual({ level: 4 });
    });
  });

  describe('chat and the demo plugins', () => {
    it('should tour the demo host: isolation by default, any-language plugins, a crash the host survives', async () => {
      const result = await jovian([
        '--plugins-dir',
        join(ROOT, 'examples', 'plugins'),
        '--data-dir',
        fixture.dataDir,
        '--allow-inprocess',
        'legacy_echo,legacy_greeter',
        'demo',
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/welcome\s+tool\s+lua\s+resolved/);
      expect(result.stdout).toMatch(/quotes\s+tool\s+process \(declared inprocess\)\s+resolved/);
      expect(result.stdout).toMatch(/legacy_greeter\s+tool\s+inprocess \(legacy\)/);
      expect(result.stdout).toContain('assistant  "You said:  hello jovian!  🤖"');
      expect(result.stdout).toContain('assistant  "Jarvis is running! ✅ 🤖"');
      expect(result.stdout).toContain('"3 words, 20 characters"');
      expect(result.stdout).toContain(
        'activity_monitor: error — plugin `activity_monitor` killed by SIGKILL',
      );
      expect(result.stdout).toContain('back by itself in a new process');
    }, 60_000);

    it('should send a message through the chat hooks of the examples and show what each plugin did', async () => {
      const examples = join(fixture.root, 'examples');
      await cp(join(ROOT, 'examples', 'plugins'), examples, { recursive: true });
      const result = await jovian([
        '--plugins-dir',
        examples,
        '--data-dir',
        fixture.dataDir,
        '--allow-inprocess',
        'legacy_greeter',
        'chat',
        '  Hello   THERE ',
        '--json',
      ]);
      expect(result.code).toBe(0);
      const exchange = result.json<{
        message: { content: string };
        response: { content: string };
        steps: { hook: string; plugin: string }[];
        logs: { plugin: string; message: string }[];
      }>();
      expect(exchange.message.content).toBe(' hello there ');
      expect(exchange.response.content).toBe('You said:  hello there  🤖');
      expect(exchange.steps.map((s) => `${s.hook}:${s.plugin}`)).toEqual([
        'filter_message:filters',
        'on_chat:legacy_greeter',
        'on_chat:welcome',
        'filter_response:filters',
      ]);
      expect(exchange.logs).toContainEqual(
        expect.objectContaining({ plugin: 'welcome', message: '👋 User message:  hello there ' }),
      );

      const help = await jovian(['--plugins-dir', examples, '--data-dir', fixture.dataDir, 'chat', '/help']);
      expect(help.stdout).toContain('/help answered by commands');
      expect(help.stdout).toContain('assistant  "Commands: /help, /status, /about 🤖"');
    });

    it('should run the legacy plugin through the adapter with its input schema', async () => {
      const args = [
        '--plugins-dir',
        join(ROOT, 'examples', 'plugins'),
        '--data-dir',
        fixture.dataDir,
        '--allow-inprocess',
        'legacy_echo',
      ];
      const ok = await jovian([...args, 'run', 'legacy_echo', '--input', '{"text": "hi", "times": 2}']);
      expect(ok.json()).toEqual({ echo: 'hi hi', started: true });
      const bad = await jovian([...args, 'run', 'legacy_echo', '--input', '{"times": 2}']);
      expect(bad.json()).toMatchObject({ code: 'JOVIAN_E_RUN_INPUT_INVALID' });
      const info = (
        await jovian([...args, 'plugins', 'info', 'legacy_echo', '--json'])
      ).json<PluginDetails>();
      expect(info).toMatchObject({ legacy: true, name: 'Echo', version: '0.0.0', type: 'tool' });
    });
  });
});
