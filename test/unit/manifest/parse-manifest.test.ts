import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/manifest/index.js';

const FILE = '/plugins/demo/plugin.yaml';
const MINIMAL = [
  'id: demo',
  'type: tool',
  'version: 1.0.0',
  'engines:',
  '  jovian: ">=0.1.0"',
  'main: index.js',
  '',
].join('\n');

function parse(text: string, reserved: string[] = ['settings', 'bridge']) {
  return parseManifest(text, FILE, { fallbackId: 'demo', reservedIds: new Set(reserved) });
}

function only(text: string) {
  const result = parse(text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(result.diagnostics, null, 2)).toHaveLength(1);
  return errors[0]!;
}

describe('parseManifest', () => {
  describe('#minimal manifest', () => {
    it('should apply safe defaults to a manifest with only id, type, version, engines and main', () => {
      const { manifest, diagnostics } = parse(MINIMAL);
      expect(diagnostics).toEqual([]);
      expect(manifest).toMatchObject({
        id: 'demo',
        name: 'demo',
        description: '',
        type: 'tool',
        version: '1.0.0',
        runtime: 'inprocess',
        activation: [],
        activation_derived: true,
        permissions: { fs_read: false, fs_write: false, run_commands: false, network_outbound: false },
        config_schema: { version: 1 },
        dependencies: [],
        extends: [],
        legacy: false,
      });
      expect(manifest?.contributes.hooks).toEqual([]);
      expect(manifest?.contributes.commands).toEqual([]);
      expect(manifest?.contributes.ui).toEqual({ panels: [], widgets: [], settings_frame: false });
    });

    it('should freeze the manifest so nothing can change what was validated', () => {
      const { manifest } = parse(MINIMAL);
      expect(Object.isFrozen(manifest)).toBe(true);
      expect(Object.isFrozen(manifest?.permissions)).toBe(true);
      expect(() => {
        (manifest as { id: string }).id = 'other';
      }).toThrow(TypeError);
    });
  });

  describe('#YAML errors', () => {
    it('should report bad YAML with its line and column', () => {
      const error = only('id: demo\ntype: [tool\nversion: 1.0.0\n');
      expect(error.code).toBe('JOVIAN_E_YAML_SYNTAX');
      expect(error.where).toMatchObject({ file: FILE, line: 3 });
    });

    it('should refuse a duplicate key', () => {
      const error = only(`${MINIMAL}id: again\n`);
      expect(error.code).toBe('JOVIAN_E_YAML_SYNTAX');
      expect(error.message).toMatch(/unique/);
      expect(error.where?.line).toBe(7);
    });

    it('should refuse an alias bomb', () => {
      const bomb = [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        '',
      ].join('\n');
      const error = only(bomb);
      expect(error.code).toBe('JOVIAN_E_YAML_ALIAS_BOMB');
      expect(error.where?.line).toBe(2);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('should refuse the key %s anywhere', (key) => {
      const error = only(`${MINIMAL}limits:\n  ${key}:\n    polluted: true\n`);
      expect(error.code).toBe('JOVIAN_E_YAML_FORBIDDEN_KEY');
      expect(error.where).toEqual({ file: FILE, line: 8, column: 3 });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('should refuse a list at the top level', () => {
      expect(only('- id: demo\n').code).toBe('JOVIAN_E_YAML_NOT_MAPPING');
    });
  });

  describe('#schema errors', () => {
    it('should report an unknown field at its key with a did-you-mean hint', () => {
      const error = only(`${MINIMAL}descripton: typo\n`);
      expect(error.code).toBe('JOVIAN_E_MANIFEST_UNKNOWN_FIELD');
      expect(error.message).toBe('unknown field `descripton`; did you mean `description`?');
      expect(error.hint).toBe('rename it to `description`');
      expect(error.where).toEqual({ file: FILE, line: 7, column: 1 });
    });

    it('should report an unknown nested field with its full path', () => {
      const error = only(`${MINIMAL}contributes:\n  comands:\n    - name: hi\n`);
      expect(error.message).toBe('unknown field `contributes.comands`; did you mean `commands`?');
      expect(error.where).toMatchObject({ line: 8, column: 3 });
    });

    it('should report a missing required field at the mapping that lacks it', () => {
      const error = only(MINIMAL.replace('main: index.js\n', ''));
      expect(error.code).toBe('JOVIAN_E_MANIFEST_MISSING_FIELD');
      expect(error.message).toBe('missing required field `main`');
      expect(error.where?.line).toBe(1);
    });

    it.each([
      ['Demo', 'uppercase'],
      ['x', 'too short'],
      ['9lives', 'starts with a digit'],
      ['a'.repeat(65), 'too long'],
      ['has space', 'space'],
    ])('should refuse the id %j (%s)', (id) => {
      const error = only(MINIMAL.replace('id: demo', `id: "${id}"`));
      expect(error.code).toBe('JOVIAN_E_MANIFEST_BAD_ID');
      expect(error.where).toMatchObject({ line: 1, column: 5 });
    });

    it('should refuse a reserved core id', () => {
      const error = only(MINIMAL.replace('id: demo', 'id: settings'));
      expect(error.code).toBe('JOVIAN_E_MANIFEST_RESERVED_ID');
    });

    it('should explain a value of the wrong shape in one message', () => {
      const error = only(`${MINIMAL}permissions:\n  fs_read: 3\n`);
      expect(error.code).toBe('JOVIAN_E_MANIFEST_INVALID');
      expect(error.message).toBe('`permissions.fs_read` must be a boolean or a list of strings');
      expect(error.where).toMatchObject({ line: 8, column: 12 });
    });

    it('should refuse an unknown type with the allowed values', () => {
      const error = only(MINIMAL.replace('type: tool', 'type: tol'));
      expect(error.message).toMatch(/`type` must be one of "system", "tool"; did you mean `tool`\?/);
    });

    it('should report every problem of a file, not only the first', () => {
      const result = parse(
        `${MINIMAL.replace('type: tool', 'type: nope')}nmae: x\nlimits:\n  memory_mb: -1\n`,
      );
      expect(result.diagnostics.map((d) => d.code).sort()).toEqual([
        'JOVIAN_E_MANIFEST_INVALID',
        'JOVIAN_E_MANIFEST_INVALID',
        'JOVIAN_E_MANIFEST_UNKNOWN_FIELD',
      ]);
      expect(result.manifest).toBeUndefined();
      expect(result.identity.id).toBe('demo');
    });
  });

  describe('#semantic checks', () => {
    it('should refuse a version that is not semver', () => {
      const error = only(MINIMAL.replace('version: 1.0.0', 'version: "1.0"'));
      expect(error.code).toBe('JOVIAN_E_MANIFEST_BAD_VERSION');
      expect(error.where).toMatchObject({ line: 3, column: 10 });
    });

    it('should refuse an engines range that is not a semver range', () => {
      const error = only(MINIMAL.replace('">=0.1.0"', '"not a range"'));
      expect(error.code).toBe('JOVIAN_E_MANIFEST_BAD_RANGE');
      expect(error.where).toMatchObject({ line: 5 });
    });

    it('should refuse a bad dependency range at the dependency', () => {
      const error = only(`${MINIMAL}dependencies:\n  - id: other\n    version: "one or two"\n`);
      expect(error.code).toBe('JOVIAN_E_MANIFEST_BAD_RANGE');
      expect(error.where).toMatchObject({ line: 9, column: 14 });
    });

    it('should refuse an unknown activation event and suggest the right one', () => {
      const error = only(`${MINIMAL}activation:\n  - onComand:hello\n`);
      expect(error.code).toBe('JOVIAN_E_MANIFEST_BAD_ACTIVATION');
      expect(error.message).toContain('did you mean `onCommand:hello`?');
    });

    it('should warn about an activation event that names nothing contributed', () => {
      const result = parse(`${MINIMAL}activation:\n  - onCommand:hello\n`);
      expect(result.manifest).toBeDefined();
      expect(result.diagnostics).toHaveLength(1);
      expect(result.diagnostics[0]).toMatchObject({
        severity: 'warning',
        code: 'JOVIAN_E_MANIFEST_BAD_ACTIVATION',
      });
    });

    it('should refuse the same command declared twice', () => {
      const error = only(`${MINIMAL}contributes:\n  commands:\n    - name: hi\n    - name: hi\n`);
      expect(error.message).toBe('command `hi` is declared twice');
      expect(error.where?.line).toBe(10);
    });
  });

  describe('#permissions', () => {
    it('should normalise synonyms in the mapping form', () => {
      const { manifest } = parse(
        `${MINIMAL}permissions:\n  net: ["api.example.com:443"]\n  filesystem: true\n  process: [git]\n`,
      );
      expect(manifest?.permissions).toEqual({
        fs_read: true,
        fs_write: false,
        run_commands: ['git'],
        network_outbound: ['api.example.com:443'],
      });
    });

    it('should accept the list form of the legacy format', () => {
      const { manifest } = parse(`${MINIMAL}permissions: [network, fs_write]\n`);
      expect(manifest?.permissions).toMatchObject({ network_outbound: true, fs_write: true, fs_read: false });
    });

    it('should refuse a permission given twice through a synonym', () => {
      const error = only(`${MINIMAL}permissions:\n  network_outbound: false\n  net: true\n`);
      expect(error.code).toBe('JOVIAN_E_MANIFEST_DUPLICATE_PERMISSION');
      expect(error.where).toEqual({ file: FILE, line: 9, column: 3 });
    });
  });

  describe('#activation', () => {
    it('should derive activation events from contributions when absent', () => {
      const { manifest } = parse(
        `${MINIMAL}contributes:\n  hooks: [filter_message, {name: on_chat, stage: 5, before: welcome}]\n  commands: [{name: hello}]\n  routes: [{path: /suggest}]\n  events: {subscribe: ["chat.*"]}\n  ui: {panels: [{id: main}]}\n`,
      );
      expect(manifest?.activation).toEqual([
        'onHook:filter_message',
        'onHook:on_chat',
        'onCommand:hello',
        'onRoute:/suggest',
        'onEvent:chat.*',
        'onPanel:main',
      ]);
      expect(manifest?.contributes.hooks[1]).toEqual({ name: 'on_chat', stage: 5, before: ['welcome'] });
      expect(manifest?.contributes.routes[0]).toEqual({ method: 'GET', path: '/suggest', description: '' });
    });

    it('should start system plugins by default', () => {
      const { manifest } = parse(
        `${MINIMAL.replace('type: tool', 'type: system')}contributes:\n  commands: [{name: hi}]\n`,
      );
      expect(manifest?.activation).toEqual(['onStartup']);
    });

    it('should keep explicit activation events as written', () => {
      const { manifest } = parse(
        `${MINIMAL}activation: [onStartup]\ncontributes:\n  commands: [{name: hi}]\n`,
      );
      expect(manifest?.activation).toEqual(['onStartup']);
      expect(manifest?.activation_derived).toBe(false);
    });
  });
});
