import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/manifest/index.js';
import { scaffoldPlugin } from '../../../src/packaging/index.js';

describe('scaffoldPlugin', () => {
  let pluginsDir: string;
  beforeEach(async () => {
    pluginsDir = await mkdtemp(join(tmpdir(), 'jovian-scaffold-unit-'));
  });
  afterEach(async () => {
    await rm(pluginsDir, { recursive: true, force: true });
  });

  describe('#manifest', () => {
    it.each([
      ['inprocess', 'tool', true, true],
      ['worker', 'system', true, false],
      ['process', 'tool', false, true],
      ['process', 'system', false, false],
    ] as const)(
      'should write a valid plugin.yaml (%s, %s, ui %s, cli %s)',
      async (runtime, type, ui, cli) => {
        const id = `p_${runtime}_${type}_${ui}_${cli}`;
        const result = await scaffoldPlugin({ id, runtime, type, ui, cli, pluginsDir });
        const file = join(result.target, 'plugin.yaml');
        const parsed = parseManifest(await readFile(file, 'utf8'), file, { fallbackId: id });
        expect(parsed.diagnostics).toEqual([]);
        expect(parsed.manifest).toMatchObject({ id, type, runtime, main: 'index.js' });
        const contributes = parsed.manifest!.contributes;
        expect(contributes.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /hello']);
        expect(contributes.commands.map((c) => c.name)).toEqual(
          cli ? [`${id.replaceAll('_', '-')}:hello`] : [],
        );
        expect(contributes.ui.panels.map((p) => p.id)).toEqual(ui ? ['main'] : []);
      },
    );

    it('should write a Lua plugin folder whose manifest is valid and taps the functions of its Lua file', async () => {
      const result = await scaffoldPlugin({ id: 'greeter', runtime: 'lua', pluginsDir });
      expect(result.target).toBe(join(pluginsDir, 'greeter'));
      const file = join(result.target, 'plugin.yaml');
      const parsed = parseManifest(await readFile(file, 'utf8'), file, {
        fallbackId: 'x',
        readLuaMain: (main) => readFileSync(join(result.target, main), 'utf8'),
      });
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(parsed.manifest).toMatchObject({
        id: 'greeter',
        type: 'tool',
        runtime: 'lua',
        main: 'greeter.lua',
      });
      expect(parsed.manifest!.contributes.hooks.map((h) => h.name).sort()).toEqual(['on_chat', 'on_startup']);
      expect(result.files.map((f) => f.slice(result.target.length + 1)).sort()).toEqual([
        'README.md',
        'changelog.md',
        'greeter.lua',
        'package.json',
        'plugin.yaml',
        'test/plugin.test.js',
      ]);
    });
  });

  describe('#refusals', () => {
    it('should refuse an id the manifest would refuse', async () => {
      await expect(scaffoldPlugin({ id: 'A', pluginsDir })).rejects.toMatchObject({
        code: 'JOVIAN_E_SCAFFOLD_BAD_ID',
        message: '`A` is not a valid plugin id',
      });
    });

    it('should refuse a non-empty folder but fill an empty one', async () => {
      await mkdir(join(pluginsDir, 'taken'));
      await writeFile(join(pluginsDir, 'taken', 'notes.txt'), 'mine');
      await expect(scaffoldPlugin({ id: 'taken', pluginsDir })).rejects.toMatchObject({
        code: 'JOVIAN_E_SCAFFOLD_TARGET_EXISTS',
      });
      expect(await readFile(join(pluginsDir, 'taken', 'notes.txt'), 'utf8')).toBe('mine');
      await mkdir(join(pluginsDir, 'empty'));
      await expect(scaffoldPlugin({ id: 'empty', pluginsDir })).resolves.toMatchObject({ id: 'empty' });
    });

    it('should refuse a panel or a command for Lua, and an unknown type', async () => {
      await expect(
        scaffoldPlugin({ id: 'lua_ui', runtime: 'lua', ui: true, pluginsDir }),
      ).rejects.toMatchObject({
        code: 'JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED',
      });
      await expect(
        scaffoldPlugin({ id: 'lua_cli', runtime: 'lua', cli: true, pluginsDir }),
      ).rejects.toMatchObject({
        code: 'JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED',
      });
      await expect(
        scaffoldPlugin({ id: 'lua_sys', runtime: 'lua', type: 'system', pluginsDir }),
      ).rejects.toMatchObject({
        code: 'JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED',
        message: 'a Lua plugin cannot implement health(), which a system plugin must have',
      });
      await expect(scaffoldPlugin({ id: 'odd', type: 'core', pluginsDir })).rejects.toMatchObject({
        code: 'JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED',
        hint: 'Use --type system, or tool.',
      });
    });
  });
});
