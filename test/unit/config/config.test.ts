import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ConfigError,
  isFeatureEnabled,
  isPluginEnabled,
  loadGlobalConfig,
  loadProjectConfig,
  PluginConfigStore,
  PluginStateStore,
  projectOverrides,
  setPluginEnabled,
} from '../../../src/config/index.js';

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    retries: { type: 'integer', minimum: 0, maximum: 10, default: 3 },
    nested: { type: 'object', properties: { deep: { type: 'boolean', default: false } }, default: {} },
  },
} as const;

describe('configuration', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jovian-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('jovian.yaml', () => {
    it('should give every default when the file is missing', async () => {
      const config = await loadGlobalConfig(join(dir, 'jovian.yaml'));
      expect(config).toMatchObject({
        plugins: {},
        features: {},
        developer_mode: false,
        log_level: 'info',
        security: {
          mode: 'permissive',
          allow_unsigned_local_plugins: false,
          isolation: { floor: {}, allow: [] },
        },
      });
    });

    it('should read flags and features', async () => {
      await writeFile(
        join(dir, 'jovian.yaml'),
        'developer_mode: true\nfeatures:\n  beta_ui: true\nplugins:\n  weather:\n    enabled: false\n',
      );
      const config = await loadGlobalConfig(join(dir, 'jovian.yaml'));
      expect(config.developer_mode).toBe(true);
      expect(isFeatureEnabled(config, 'beta_ui')).toBe(true);
      expect(isFeatureEnabled(config, 'other')).toBe(false);
      expect(isPluginEnabled(config, undefined, 'weather')).toBe(false);
      expect(isPluginEnabled(config, undefined, 'anything')).toBe(true);
    });

    it('should report every problem with its key, rule and place', async () => {
      const file = join(dir, 'jovian.yaml');
      await writeFile(
        file,
        'log_level: loud\nplugins:\n  weather:\n    enabeld: false\ndeveloper-mode: true\n',
      );
      const error = (await loadGlobalConfig(file).catch((e: unknown) => e)) as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      const keys = error.issues.map((i) => i.key).sort();
      expect(keys).toEqual(['developer-mode', 'log_level', 'plugins.weather.enabeld']);
      const unknown = error.issues.find((i) => i.key === 'developer-mode')!;
      expect(unknown).toMatchObject({
        code: 'JOVIAN_E_CONFIG_UNKNOWN_KEY',
        rule: 'is not a known field; did you mean `developer_mode`?',
        where: { file, line: 5, column: 1 },
      });
      const nested = error.issues.find((i) => i.key === 'plugins.weather.enabeld')!;
      expect(nested.where).toEqual({ file, line: 4, column: 5 });
      expect(error.message).toMatch(/^`.+` .+ \(and 2 more: .+\)$/);
    });

    it('should refuse invalid YAML at its line', async () => {
      await writeFile(join(dir, 'jovian.yaml'), 'plugins: [\n');
      await expect(loadGlobalConfig(join(dir, 'jovian.yaml'))).rejects.toMatchObject({
        code: 'JOVIAN_E_YAML_SYNTAX',
        where: { line: 2 },
      });
    });
  });

  describe('project files', () => {
    it('should let the project’s enabled flag win over the global one and expose overrides', async () => {
      await writeFile(join(dir, 'jovian.yaml'), 'plugins:\n  weather:\n    enabled: false\n');
      await writeFile(
        join(dir, 'site.jovian.yaml'),
        'name: site\nplugins:\n  weather:\n    enabled: true\n    config_overrides:\n      city: Paris\n',
      );
      const global = await loadGlobalConfig(join(dir, 'jovian.yaml'));
      const project = await loadProjectConfig(join(dir, 'site.jovian.yaml'));
      expect(isPluginEnabled(global, project, 'weather')).toBe(true);
      const overrides = projectOverrides(project, 'weather')!;
      expect(overrides.values).toEqual({ city: 'Paris' });
      expect(overrides.locate(['city'])).toMatchObject({ line: 6, column: 13 });
      expect(projectOverrides(project, 'other')).toBeUndefined();
    });
  });

  describe('setPluginEnabled', () => {
    it('should keep comments and key order, create what is missing, and validate before writing', async () => {
      const file = join(dir, 'jovian.yaml');
      await writeFile(
        file,
        '# my host\ndeveloper_mode: true # on purpose\nplugins:\n  # the weather\n  weather:\n    enabled: true\n',
      );
      await setPluginEnabled(file, 'weather', false);
      await setPluginEnabled(file, 'news', false);
      expect(await readFile(file, 'utf8')).toBe(
        '# my host\ndeveloper_mode: true # on purpose\nplugins:\n  # the weather\n  weather:\n    enabled: false\n  news:\n    enabled: false\n',
      );
    });

    it('should never overwrite a file that is not valid YAML', async () => {
      const file = join(dir, 'jovian.yaml');
      await writeFile(file, 'plugins: [broken\n');
      await expect(setPluginEnabled(file, 'weather', false)).rejects.toMatchObject({
        code: 'JOVIAN_E_YAML_SYNTAX',
      });
      expect(await readFile(file, 'utf8')).toBe('plugins: [broken\n');
    });
  });

  describe('PluginConfigStore', () => {
    const store = (file: string, extra: Partial<ConstructorParameters<typeof PluginConfigStore>[0]> = {}) =>
      new PluginConfigStore({ id: 'p', file, spec: { version: 1, schema: SCHEMA }, ...extra });

    it('should layer defaults < config.yaml < project overrides', async () => {
      const file = join(dir, 'config.yaml');
      await writeFile(file, 'name: mine\nretries: 5\n');
      const config = store(file, {
        overrides: { values: { retries: 7 }, locate: () => ({ file: 'p.jovian.yaml', line: 1, column: 1 }) },
      });
      await config.load();
      expect(config.get()).toEqual({ name: 'mine', retries: 7, nested: { deep: false } });
      expect(config.get('nested.deep')).toBe(false);
      expect(config.get('missing')).toBeUndefined();
    });

    it('should point at the bad value in config.yaml and in the project file', async () => {
      const file = join(dir, 'config.yaml');
      await writeFile(file, '# mine\nretries: 50\n');
      await expect(store(file).load()).rejects.toMatchObject({
        code: 'JOVIAN_E_CONFIG_INVALID',
        message: '`retries` must be <= 10',
        where: { file, line: 2, column: 10 },
      });
      await writeFile(file, 'retries: 1\n');
      const project = join(dir, 'p.jovian.yaml');
      await writeFile(project, 'plugins:\n  p:\n    config_overrides:\n      retries: -1\n');
      const overrides = projectOverrides(await loadProjectConfig(project), 'p');
      await expect(store(file, { overrides }).load()).rejects.toMatchObject({
        message: '`retries` must be >= 0',
        where: { file: project, line: 4, column: 16 },
      });
    });

    it('should validate a change before writing, keep comments, and notify listeners', async () => {
      const file = join(dir, 'config.yaml');
      await writeFile(file, '# keep me\nname: old\n');
      const config = store(file);
      await config.load();
      const changes: string[][] = [];
      config.onDidChange((c) => changes.push([...c.keys]));
      await expect(config.set('retries', 11)).rejects.toMatchObject({ code: 'JOVIAN_E_CONFIG_INVALID' });
      await expect(config.set('nmae', 'x')).rejects.toMatchObject({
        code: 'JOVIAN_E_CONFIG_UNKNOWN_KEY',
        message: '`nmae` is not a known field; did you mean `name`?',
      });
      expect(await readFile(file, 'utf8')).toBe('# keep me\nname: old\n');
      await config.update({ name: 'new', 'nested.deep': true });
      expect(await readFile(file, 'utf8')).toBe('# keep me\nname: new\nnested:\n  deep: true\n$version: 1\n');
      expect(changes).toEqual([['name', 'nested']]);
      await config.set('name', 'new');
      expect(changes).toHaveLength(1);
    });

    it('should keep config.yaml readable by its owner only, since a field may be a password', async () => {
      const file = join(dir, 'config.yaml');
      const secret = {
        ...SCHEMA,
        properties: { ...SCHEMA.properties, key: { type: 'string', format: 'password' } },
      };
      const config = new PluginConfigStore({ id: 'p', file, spec: { version: 1, schema: secret } });
      await config.load();
      await config.set('key', 's3cret');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(parse(await readFile(file, 'utf8'))).toMatchObject({ key: 's3cret' });
      await expect(config.set('key', 42)).rejects.toMatchObject({ code: 'JOVIAN_E_CONFIG_INVALID' });
    });

    describe('migrations', () => {
      const v3 = {
        version: 3,
        schema: {
          type: 'object',
          additionalProperties: false,
          properties: { color: { type: 'string' }, size: { type: 'integer' } },
        },
      };

      it('should run every step in order and keep a byte-for-byte backup', async () => {
        const file = join(dir, 'config.yaml');
        const original = '# hand-written\ncolour: red\n';
        await writeFile(file, original);
        const config = new PluginConfigStore({
          id: 'p',
          file,
          spec: v3,
          migrations: { 2: (old) => ({ color: old.colour }), 3: (old) => ({ ...old, size: 10 }) },
        });
        expect(await config.load()).toEqual({ migratedFrom: 1, backup: `${file}.v1.bak` });
        expect(config.get()).toEqual({ color: 'red', size: 10 });
        expect(await readFile(`${file}.v1.bak`, 'utf8')).toBe(original);
        expect(parse(await readFile(file, 'utf8'))).toEqual({ $version: 3, color: 'red', size: 10 });
      });

      it.each([
        ['a missing step', { 2: (old: Record<string, unknown>) => old }, 'JOVIAN_E_CONFIG_MIGRATION_MISSING'],
        [
          'a throwing step',
          {
            2: (old: Record<string, unknown>) => old,
            3: () => {
              throw new Error('bug');
            },
          },
          'JOVIAN_E_CONFIG_MIGRATION_FAILED',
        ],
        [
          'an invalid result',
          { 2: () => ({ color: 1 }), 3: (old: Record<string, unknown>) => old },
          'JOVIAN_E_CONFIG_INVALID',
        ],
      ])('should leave config.yaml untouched after %s', async (_what, migrations, code) => {
        const file = join(dir, 'config.yaml');
        await writeFile(file, 'colour: red\n');
        const config = new PluginConfigStore({ id: 'p', file, spec: v3, migrations });
        await expect(config.load()).rejects.toMatchObject({ code });
        expect(await readFile(file, 'utf8')).toBe('colour: red\n');
      });

      it('should refuse a config written by a newer version', async () => {
        const file = join(dir, 'config.yaml');
        await writeFile(file, '$version: 4\ncolor: red\n');
        await expect(new PluginConfigStore({ id: 'p', file, spec: v3 }).load()).rejects.toMatchObject({
          code: 'JOVIAN_E_CONFIG_VERSION_AHEAD',
        });
      });
    });

    it('should never leave a half-written config.yaml when the writer is killed', async () => {
      const file = join(dir, 'config.yaml');
      const script = join(import.meta.dirname, 'fixtures', 'write-loop.ts');
      for (let trial = 0; trial < 20; trial++) {
        const child = spawn(process.execPath, ['--import', 'tsx', script, file], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 45)));
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('close', resolve));
        const content = await readFile(file, 'utf8').catch(() => undefined);
        if (content === undefined) continue;
        const value = parse(content) as { n: number; pad: string; $version: number };
        expect(value.$version).toBe(1);
        expect(Number.isInteger(value.n)).toBe(true);
        expect(value.pad).toBe('x'.repeat(2000 + (value.n % 500)));
      }
      // The next write sweeps the temporary files the killed writers left behind.
      const store = new PluginConfigStore({ id: 'crash', file, spec: { version: 1 } });
      await store.load();
      await store.set('n', 0);
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    }, 60_000);
  });

  describe('PluginStateStore', () => {
    it('should keep JSON values and persist them', async () => {
      const file = join(dir, 'state.json');
      const state = new PluginStateStore(file);
      await state.set('count', 2);
      await state.set('list', [{ a: null }]);
      expect(await state.delete('nothing')).toBe(false);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ count: 2, list: [{ a: null }] });
      const again = new PluginStateStore(file);
      expect(await again.get('list')).toEqual([{ a: null }]);
      expect(await again.keys()).toEqual(['count', 'list']);
    });

    it.each([
      [{ f: () => 1 }, 'value.f is a function'],
      [{ n: Number.NaN }, 'value.n is NaN'],
      [{ d: new Date() }, 'value.d is an instance of Date'],
      [[1, undefined], 'value[1] is undefined'],
    ])('should refuse %j with the path of the bad value', async (value, message) => {
      const state = new PluginStateStore(join(dir, 'state.json'));
      await expect(state.set('key', value)).rejects.toMatchObject({
        code: 'JOVIAN_E_STATE_NOT_JSON',
        message: `state \`key\`: ${message}, which JSON cannot store`,
      });
    });

    it('should refuse a circular value', async () => {
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      await expect(new PluginStateStore(join(dir, 's.json')).set('loop', loop)).rejects.toMatchObject({
        message: expect.stringContaining('circular'),
      });
    });

    it('should write once for changes made in the same tick', async () => {
      const file = join(dir, 'state.json');
      const state = new PluginStateStore(file);
      await Promise.all([state.set('a', 1), state.set('b', 2), state.set('c', 3)]);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: 1, b: 2, c: 3 });
    });

    it('should set a corrupt file aside, never lose it, and start empty', async () => {
      await mkdir(join(dir, 'p'));
      const file = join(dir, 'p', 'state.json');
      await writeFile(file, '{"half": ');
      const state = new PluginStateStore(file);
      const warning = await state.load();
      expect(warning).toMatchObject({ code: 'JOVIAN_E_STATE_NOT_JSON', severity: 'warning' });
      expect(await state.keys()).toEqual([]);
      const kept = (await readdir(join(dir, 'p'))).find((name) => name.startsWith('state.json.corrupt-'))!;
      expect(await readFile(join(dir, 'p', kept), 'utf8')).toBe('{"half": ');
    });
  });
});
