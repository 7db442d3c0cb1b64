import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  discoverPlugins,
  locateInManifest,
  luaHooksOf,
  parseLuaPlugin,
} from '../../../src/manifest/index.js';
import { LUA_HOOK_NAMES } from '../../../src/types.js';

const SEED = join(import.meta.dirname, '..', '..', '..', 'examples', 'plugins');
const FILE = '/plugins/demo.lua';
const HEADER = '-- @id demo\n-- @version 1.0.0\n';

const parse = (text: string, reservedIds?: ReadonlySet<string>) =>
  parseLuaPlugin(text, FILE, { fallbackId: 'demo', reservedIds });
const only = (text: string) => {
  const { diagnostics } = parse(text);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0]!;
};

describe('parseLuaPlugin', () => {
  describe('#seed plugins', () => {
    it.each([
      ['welcome', 'Welcome', 'Greet new users', ['on_chat']],
      ['commands', 'Commands', 'Custom commands', ['on_command']],
      ['filters', 'Filters', 'Message/response filters', ['filter_message', 'filter_response']],
    ])(
      'should read %s.lua: its header and the hooks its functions tap',
      async (id, name, description, hooks) => {
        const file = join(SEED, `${id}.lua`);
        const { manifest, diagnostics } = parseLuaPlugin(await readFile(file, 'utf8'), file, {
          fallbackId: id,
        });
        expect(diagnostics).toEqual([]);
        expect(manifest).toMatchObject({
          id,
          name,
          description,
          version: '1.0.0',
          author: 'Team',
          type: 'tool',
          runtime: 'lua',
          main: `${id}.lua`,
          engines: { jovian: '*' },
          activation: hooks.map((hook) => `onHook:${hook}`),
          activation_derived: true,
          permissions: { fs_read: false, fs_write: false, run_commands: false, network_outbound: false },
          dependencies: [],
        });
        expect(manifest?.contributes.hooks.map((h) => h.name)).toEqual(hooks);
      },
    );
  });

  describe('#tags', () => {
    it('should apply @type, @engines, @memory_mb and @timeout_ms', () => {
      const { manifest } = parse(
        `${HEADER}-- @type system\n-- @engines >=0.1.0 <1.0.0\n-- @memory_mb 32\n-- @timeout_ms 2000\n`,
      );
      expect(manifest).toMatchObject({
        type: 'system',
        engines: { jovian: '>=0.1.0 <1.0.0' },
        limits: { memory_mb: 32, timeout_ms: 2000 },
        activation: ['onStartup'],
      });
    });

    it('should report a missing @id at the start of the header, and keep the file name as id', () => {
      const result = parse('\n-- @name Demo\n-- @version 1.0.0\n\nfunction on_chat() end\n');
      expect(result.manifest).toBeUndefined();
      expect(result.identity).toMatchObject({ id: 'demo', name: 'Demo', version: '1.0.0' });
      expect(result.diagnostics).toEqual([
        expect.objectContaining({
          code: 'JOVIAN_E_MANIFEST_MISSING_FIELD',
          severity: 'error',
          message: 'missing required tag `@id`',
          where: { file: FILE, line: 2, column: 1 },
        }),
      ]);
      expect(result.diagnostics[0]?.hint).toContain('lines 2–3');
    });

    it('should report a bad @version at its value', () => {
      const error = only('-- @id demo\n--   @version 1.0\n');
      expect(error).toMatchObject({
        code: 'JOVIAN_E_MANIFEST_BAD_VERSION',
        message: '`@version` "1.0" is not a semantic version',
        where: { file: FILE, line: 2, column: 15 },
        plugin: 'demo',
      });
    });

    it('should refuse a bad or reserved @id at its value', () => {
      expect(only('-- @id Demo Plugin\n-- @version 1.0.0\n')).toMatchObject({
        code: 'JOVIAN_E_MANIFEST_BAD_ID',
        where: { line: 1, column: 8 },
      });
      const reserved = parse('-- @id settings\n-- @version 1.0.0\n', new Set(['settings']));
      expect(reserved.diagnostics.map((d) => d.code)).toEqual(['JOVIAN_E_MANIFEST_RESERVED_ID']);
    });

    it('should warn about an unknown tag with a did-you-mean, and still accept the plugin', () => {
      const result = parse(`${HEADER}-- @descripton Typo\n`);
      expect(result.manifest?.id).toBe('demo');
      expect(result.diagnostics).toEqual([
        expect.objectContaining({
          code: 'JOVIAN_E_MANIFEST_UNKNOWN_FIELD',
          severity: 'warning',
          message: 'unknown tag `@descripton`; did you mean `@description`?',
          hint: 'rename it to `@description`',
          where: { file: FILE, line: 3, column: 4 },
        }),
      ]);
    });

    it('should ignore documentation tags and free comment lines', () => {
      const result = parse(`---@diagnostic disable: lowercase-global\n${HEADER}-- A plugin. @see below\n`);
      expect(result.diagnostics).toEqual([]);
    });

    it('should refuse a tag given twice, a tag without a value and a bad @type', () => {
      const result = parse(`${HEADER}-- @version 2.0.0\n-- @name\n-- @type tol\n-- @memory_mb lots\n`);
      expect(result.diagnostics.map((d) => [d.code, d.where?.line, d.message])).toEqual([
        ['JOVIAN_E_MANIFEST_INVALID', 3, 'tag `@version` is given twice'],
        ['JOVIAN_E_MANIFEST_INVALID', 4, 'tag `@name` has no value'],
        [
          'JOVIAN_E_MANIFEST_INVALID',
          5,
          '`@type` must be `tool` or `system`, not "tol"; did you mean `tool`?',
        ],
        ['JOVIAN_E_MANIFEST_INVALID', 6, '`@memory_mb` must be a whole number from 1 to 65536, not "lots"'],
      ]);
    });

    it('should read the header only: the first line that is not a comment ends it', () => {
      const result = parse('#!/usr/bin/env lua\n-- @id demo\n\n-- @version 1.0.0\nfunction on_chat() end\n');
      expect(result.diagnostics.map((d) => [d.message, d.where?.line])).toEqual([
        ['missing required tag `@version`', 2],
      ]);
    });
  });

  describe('#@permissions', () => {
    it('should normalise grants and synonyms as plugin.yaml permissions', () => {
      const { manifest } = parse(
        `${HEADER}-- @permissions network_outbound=api.example.com:443 fs_read=./data,~/notes\n-- @permissions process\n`,
      );
      expect(manifest?.permissions).toEqual({
        fs_read: ['./data', '~/notes'],
        fs_write: false,
        run_commands: true,
        network_outbound: ['api.example.com:443'],
      });
    });

    it('should accept a list of names', () => {
      const { manifest } = parse(`${HEADER}-- @permissions net, filesystem\n`);
      expect(manifest?.permissions).toMatchObject({ network_outbound: true, fs_read: true });
    });

    it('should report a permission given twice through a synonym, and an unknown one, where they are', () => {
      const result = parse(`${HEADER}-- @permissions net=a.example.com network_outbound nett\n`);
      expect(result.diagnostics.map((d) => [d.code, d.where?.column, d.message])).toEqual([
        [
          'JOVIAN_E_MANIFEST_DUPLICATE_PERMISSION',
          35,
          'permission `network_outbound` is given twice (`net` and `network_outbound`)',
        ],
        ['JOVIAN_E_MANIFEST_INVALID', 52, 'unknown permission `nett`; did you mean `net`?'],
      ]);
    });
  });

  describe('#@depends', () => {
    it('should read ids with optional ranges and optional dependencies', () => {
      const { manifest } = parse(`${HEADER}-- @depends storage@^1.2.0, weather?, geo >=2.0.0 <3.0.0\n`);
      expect(manifest?.dependencies).toEqual([
        { id: 'storage', version: '^1.2.0', optional: false },
        { id: 'weather', version: '*', optional: true },
        { id: 'geo', version: '>=2.0.0 <3.0.0', optional: false },
      ]);
    });

    it('should report a bad range at the range, and a repeated dependency', () => {
      const result = parse(`${HEADER}-- @depends storage@^1.2.0, geo@>=banana\n-- @depends storage\n`);
      expect(result.diagnostics.map((d) => [d.code, d.where?.line, d.where?.column])).toEqual([
        ['JOVIAN_E_MANIFEST_BAD_RANGE', 3, 33],
        ['JOVIAN_E_MANIFEST_INVALID', 4, 13],
      ]);
    });
  });
});

describe('luaHooksOf', () => {
  it('should name the Lua hooks others can import', () => {
    expect(LUA_HOOK_NAMES).toEqual([
      'on_startup',
      'on_shutdown',
      'on_chat',
      'on_command',
      'on_automation',
      'filter_message',
      'filter_response',
    ]);
  });

  it('should find global functions defined at the top level only', () => {
    const source = [
      'local on_shutdown',
      'function on_shutdown() end', // assigns the local
      'local function on_startup() end',
      'local handlers = { on_command = function() end }',
      'filter_message = function(m) return m end',
      '--[[ function on_automation() end ]]',
      'local text = [==[',
      'function on_automation() end',
      ']==]',
      'local quoted = "function on_automation() end"',
      'if enabled then function on_automation() end end',
      'function M.filter_response() end',
      'function helper() end',
      'function on_chat(message)',
      '  local function on_command() end',
      'end',
    ].join('\n');
    expect(luaHooksOf(source)).toEqual([
      { name: 'filter_message', line: 5, column: 1 },
      { name: 'on_chat', line: 14, column: 10 },
    ]);
  });
});

describe('discoverPlugins with Lua', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'jovian-lua-'));
    dir = join(root, 'plugins');
    await mkdir(dir);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const yaml = (id: string, extra = '') =>
    `id: ${id}\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.js\n${extra}`;

  async function folder(name: string, files: Record<string, string>): Promise<void> {
    await mkdir(join(dir, name));
    for (const [file, content] of Object.entries(files)) await writeFile(join(dir, name, file), content);
  }

  it('should find a .lua file next to plugin folders, as a single-file plugin', async () => {
    await folder('alpha', { 'plugin.yaml': yaml('alpha') });
    await writeFile(join(dir, 'welcome.lua'), await readFile(join(SEED, 'welcome.lua'), 'utf8'));
    const result = await discoverPlugins([dir]);
    expect(result.diagnostics).toEqual([]);
    expect(result.plugins.map((p) => [p.identity.id, p.kind, p.layout, p.dir, p.file])).toEqual([
      ['alpha', 'manifest', 'folder', join(dir, 'alpha'), join(dir, 'alpha', 'plugin.yaml')],
      ['welcome', 'manifest', 'file', dir, join(dir, 'welcome.lua')],
    ]);
    expect(result.plugins[1]?.manifest).toMatchObject({ runtime: 'lua', main: 'welcome.lua' });
  });

  it('should skip a .lua file without a header, with a warning', async () => {
    await writeFile(join(dir, 'helpers.lua'), 'local M = {}\nreturn M\n');
    const result = await discoverPlugins([dir]);
    expect(result.plugins).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'JOVIAN_E_MANIFEST_NO_LUA_HEADER',
        severity: 'warning',
        where: { file: join(dir, 'helpers.lua'), line: 1, column: 1 },
      }),
    ]);
  });

  it('should report a duplicate id at the @id of the second plugin', async () => {
    await folder('alpha', { 'plugin.yaml': yaml('alpha') });
    await writeFile(join(dir, 'beta.lua'), '-- Beta, a copy of alpha.\n-- @id alpha\n-- @version 1.0.0\n');
    const result = await discoverPlugins([dir]);
    expect(result.plugins.map((p) => p.file)).toEqual([join(dir, 'alpha', 'plugin.yaml')]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'JOVIAN_E_MANIFEST_DUPLICATE_ID',
        message: `plugin id \`alpha\` is used by ${join(dir, 'beta.lua')} and ${join(dir, 'alpha')}; ${join(dir, 'beta.lua')} is ignored`,
        where: { file: join(dir, 'beta.lua'), line: 2, column: 8 },
      }),
    ]);
  });

  it('should cache a .lua plugin until the file changes', async () => {
    const cacheFile = join(root, 'cache', 'manifests.json');
    const file = join(dir, 'demo.lua');
    await writeFile(file, `${HEADER}function on_chat() end\n`);
    const first = await discoverPlugins([dir], { cacheFile });
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(cached.entries)).toEqual([file]);
    expect(first.plugins[0]?.manifest?.activation).toEqual(['onHook:on_chat']);

    await writeFile(file, `${HEADER}function on_chat() end\nfunction on_command() end\n`);
    const second = await discoverPlugins([dir], { cacheFile });
    expect(second.plugins[0]?.manifest?.activation).toEqual(['onHook:on_chat', 'onHook:on_command']);
  });

  it('should derive the hooks of a `runtime: lua` folder from main.lua, and notice when it changes', async () => {
    const cacheFile = join(root, 'cache', 'manifests.json');
    const manifest = yaml('folded', 'runtime: lua\n').replace('main: index.js', 'main: main.lua');
    await folder('folded', {
      'plugin.yaml': manifest,
      'main.lua': 'function filter_message(m) return m end\n',
    });
    const first = await discoverPlugins([dir], { cacheFile });
    expect(first.plugins[0]?.manifest?.contributes.hooks.map((h) => h.name)).toEqual(['filter_message']);

    await writeFile(join(dir, 'folded', 'main.lua'), 'function on_startup() end\nfunction on_chat() end\n');
    const second = await discoverPlugins([dir], { cacheFile });
    expect(second.plugins[0]?.manifest?.contributes.hooks.map((h) => h.name)).toEqual([
      'on_startup',
      'on_chat',
    ]);
  });

  it('should keep the hooks a `runtime: lua` plugin.yaml lists', async () => {
    const manifest = yaml('listed', 'runtime: lua\ncontributes:\n  hooks: [on_chat]\n');
    await folder('listed', { 'plugin.yaml': manifest, 'index.js': 'function filter_message(m) end\n' });
    const [found] = (await discoverPlugins([dir])).plugins;
    expect(found?.manifest?.contributes.hooks.map((h) => h.name)).toEqual(['on_chat']);
  });

  it('should locate problems found later in the header of a .lua plugin', async () => {
    const file = join(dir, 'demo.lua');
    await writeFile(file, `${HEADER}-- @depends storage, weather@^2.0.0\n\nfunction on_chat() end\n`);
    expect(locateInManifest(file, ['dependencies', 1, 'version'])).toEqual({ file, line: 3, column: 30 });
    expect(locateInManifest(file, ['dependencies', 0, 'id'])).toEqual({ file, line: 3, column: 13 });
    expect(locateInManifest(file, ['engines', 'jovian'])).toEqual({ file, line: 1, column: 1 });
    expect(locateInManifest(file, ['contributes', 'hooks', 0])).toEqual({ file, line: 5, column: 10 });
  });
});
