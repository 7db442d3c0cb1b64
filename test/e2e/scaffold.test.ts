import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ApiUiContributions } from '../../src/server/index.js';
import { openPage } from './chromium.js';
import { jovian, ROOT } from './cli-helpers.js';
import { apiGet, nodeTest, projectWithJovian, runNode } from './plugin-project.js';
import { type ServeProcess, startServe } from './serve-process.js';

const JS_RUNTIMES = ['inprocess', 'worker', 'process'] as const;
const idOf = (runtime: string) => `made_${runtime}`;

describe('jovian plugins scaffold', () => {
  let root: string;
  let pluginsDir: string;
  let serve: ServeProcess | undefined;
  const api = <T>(path: string) => apiGet<T>(serve!, path);

  beforeAll(async () => {
    root = await projectWithJovian('jovian-scaffold-');
    pluginsDir = join(root, 'plugins');
    for (const runtime of JS_RUNTIMES) {
      const type = runtime === 'inprocess' ? 'system' : 'tool';
      const made = await jovian(
        [
          '--plugins-dir',
          pluginsDir,
          'plugins',
          'scaffold',
          idOf(runtime),
          '--runtime',
          runtime,
          '--type',
          type,
        ],
        { cwd: root },
      );
      expect(made.code, made.stderr).toBe(0);
    }
    const lua = await jovian(
      ['--plugins-dir', pluginsDir, 'plugins', 'scaffold', 'made_lua', '--runtime', 'lua'],
      {
        cwd: root,
      },
    );
    expect(lua.code, lua.stderr).toBe(0);
  }, 30_000);
  afterAll(async () => {
    await serve?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('should write a complete plugin folder with a manifest valid against the schema', async () => {
    const dir = join(pluginsDir, idOf('worker'));
    for (const file of [
      'plugin.yaml',
      'index.js',
      'package.json',
      'test/plugin.test.js',
      'web/panels/main.js',
      'web/lang/en.json',
      'web/lang/fr.json',
      'changelog.md',
      'README.md',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    const text = await readFile(join(dir, 'plugin.yaml'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/plugin\.schema\.json$/);
    expect(parse(text)).toMatchObject({ id: 'made_worker', runtime: 'worker', main: 'index.js' });
    const fr = JSON.parse(await readFile(join(dir, 'web/lang/fr.json'), 'utf8')) as { help: string };
    expect(fr.help).toContain('made_worker');
    expect(existsSync(join(pluginsDir, 'made_lua', 'made_lua.lua'))).toBe(true);
    const doctor = await jovian([
      '--plugins-dir',
      pluginsDir,
      '--data-dir',
      join(root, 'doctor'),
      'plugins',
      'doctor',
    ]);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
  });

  it("should type-check against jovian's types (tsc --checkJs --strict)", async () => {
    const dir = join(pluginsDir, idOf('process'));
    const tsc = await runNode(
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        ...['--noEmit', '--skipLibCheck', '--allowJs', '--checkJs', '--strict', '--target', 'es2022'],
        ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node'],
        ...['--typeRoots', join(ROOT, 'node_modules', '@types')],
        ...['index.js', 'test/plugin.test.js'],
      ],
      dir,
    );
    expect(tsc.code, tsc.output).toBe(0);
  }, 60_000);

  it.each([...JS_RUNTIMES, 'lua'])(
    'should pass its own tests with node --test (%s)',
    async (runtime) => {
      const result = await nodeTest(join(pluginsDir, idOf(runtime)));
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/# fail 0/);
    },
    60_000,
  );

  describe('under jovian serve', () => {
    beforeAll(async () => {
      serve = await startServe(['--plugins-dir', pluginsDir, '--data-dir', join(root, 'data')]);
    }, 30_000);

    it.each(JS_RUNTIMES)('should load it, answer its route and list its panel (%s)', async (runtime) => {
      const id = idOf(runtime);
      const hello = await api<{ message: string }>(`/api/x/${id}/hello?name=Ada`);
      expect(hello.message).toBe(`hello Ada, from ${id}`);
      const info = await api<{ state: string }>(`/api/plugins/${id}`);
      expect(info.state).toEqual(expect.any(String));
      expect(info.state).not.toBe('error');
      const ui = await api<ApiUiContributions>('/api/ui');
      expect(ui.panels.map((p) => `${p.plugin}/${p.id}`)).toContain(`${id}/main`);
    });

    it('should run the system plugin (ready) without a missing-health warning', async () => {
      const info = await api<{ state: string; diagnostics: { code: string }[] }>(
        `/api/plugins/${idOf('inprocess')}`,
      );
      expect(info.state).toBe('ready');
      expect(info.diagnostics.map((d) => d.code)).not.toContain('JOVIAN_E_HEALTH_MISSING');
    });

    it("should mount the plugin's panel in the WebUI, with its help", async () => {
      const { browser, page } = await openPage(800);
      try {
        await page.goto(serve!.loginUrl);
        await page.getByRole('heading', { name: 'Plugins' }).waitFor();
        await page.goto(`${serve!.base}/plugins/made_worker`);
        await page
          .locator('#plugin-made_worker-greeting')
          .getByText('The plugin says: hello world, from made_worker')
          .waitFor();
        await page.getByText('This panel asks made_worker for a greeting').waitFor();
      } finally {
        await browser.close();
      }
    }, 30_000);

    it('should load the Lua plugin without error', async () => {
      const info = await api<{ state: string; runtime: string }>('/api/plugins/made_lua');
      expect(info.runtime).toBe('lua');
      expect(info.state).toEqual(expect.any(String));
      expect(info.state).not.toBe('error');
    });
  });

  it.each(JS_RUNTIMES)('should run its CLI command (%s)', async (runtime) => {
    const id = idOf(runtime);
    const result = await jovian(
      [
        '--plugins-dir',
        pluginsDir,
        '--data-dir',
        join(root, 'cli'),
        `${id.replaceAll('_', '-')}:hello`,
        'Ada',
      ],
      { cwd: root },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`hello Ada, from ${id}`);
  });

  it('should run the Lua plugin on a chat message', async () => {
    const result = await jovian(
      ['--plugins-dir', pluginsDir, '--data-dir', join(root, 'chat'), 'chat', 'hello there'],
      { cwd: root },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('made_lua');
    expect(result.stdout).toContain('message 1: hello there');
  });

  it('should leave out the panel and the command with --no-ui --no-cli', async () => {
    const made = await jovian(
      ['--plugins-dir', pluginsDir, 'plugins', 'scaffold', 'bare', '--no-ui', '--no-cli'],
      {
        cwd: root,
      },
    );
    expect(made.code, made.stderr).toBe(0);
    expect(existsSync(join(pluginsDir, 'bare', 'web'))).toBe(false);
    const manifest = parse(await readFile(join(pluginsDir, 'bare', 'plugin.yaml'), 'utf8')) as {
      contributes: Record<string, unknown>;
    };
    expect(Object.keys(manifest.contributes).sort()).toEqual(['metrics', 'routes']);
    const result = await nodeTest(join(pluginsDir, 'bare'));
    expect(result.code, result.output).toBe(0);
  }, 60_000);

  it('should write into --dir', async () => {
    const dir = join(root, 'elsewhere', 'mine');
    const made = await jovian(['plugins', 'scaffold', 'mine', '--dir', dir], { cwd: root });
    expect(made.code, made.stderr).toBe(0);
    expect(existsSync(join(dir, 'plugin.yaml'))).toBe(true);
  });

  it('should refuse a folder that exists and is not empty, and write nothing', async () => {
    const before = await readFile(join(pluginsDir, idOf('worker'), 'index.js'), 'utf8');
    const again = await jovian(['--plugins-dir', pluginsDir, 'plugins', 'scaffold', idOf('worker')], {
      cwd: root,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('JOVIAN_E_SCAFFOLD_TARGET_EXISTS');
    expect(again.stderr).toContain('already exists');
    expect(await readFile(join(pluginsDir, idOf('worker'), 'index.js'), 'utf8')).toBe(before);
    const lua = await jovian([
      '--plugins-dir',
      pluginsDir,
      'plugins',
      'scaffold',
      'made_lua',
      '--runtime',
      'lua',
    ]);
    expect(lua.code).toBe(1);
    expect(lua.stderr).toContain('JOVIAN_E_SCAFFOLD_TARGET_EXISTS');
  });

  it('should refuse an invalid id with the id rule', async () => {
    const bad = await jovian(['--plugins-dir', pluginsDir, 'plugins', 'scaffold', 'Bad.Id'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('JOVIAN_E_SCAFFOLD_BAD_ID');
    expect(bad.stderr).toContain('`Bad.Id` is not a valid plugin id');
    expect(existsSync(join(pluginsDir, 'Bad.Id'))).toBe(false);
  });

  it('should refuse a panel or a command for a Lua plugin, and an unknown runtime', async () => {
    const ui = await jovian(
      ['--plugins-dir', pluginsDir, 'plugins', 'scaffold', 'lua_ui', '--runtime', 'lua', '--with-ui'],
      { cwd: root },
    );
    expect(ui.code).toBe(2);
    expect(ui.stderr).toContain('JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED');
    expect(ui.stderr).toContain('panel');
    const runtime = await jovian(
      ['--plugins-dir', pluginsDir, 'plugins', 'scaffold', 'odd', '--runtime', 'wasm'],
      {
        cwd: root,
      },
    );
    expect(runtime.code).toBe(2);
    expect(runtime.stderr).toContain('--runtime wasm is not supported');
    expect(existsSync(join(pluginsDir, 'odd'))).toBe(false);
  });
});
