/** The inventory reads a legacy module's plugin from its source text, never by running it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLegacySource } from '../../../src/manifest/index.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'examples', 'plugins');

describe('#describeLegacySource', () => {
  it('should read the literal meta of an exported plugin object', () => {
    const source = readFileSync(join(examples, 'legacy_echo', 'plugin.mjs'), 'utf8');
    expect(describeLegacySource(source)).toEqual({
      kind: 'object',
      meta: {
        name: 'Echo',
        description: 'Repeats a text (a plugin in the pre-manifest format).',
        permissions: [],
      },
      hookMethods: [],
    });
  });

  it('should find the on_* methods of a default-exported class', () => {
    const source = readFileSync(join(examples, 'legacy_greeter', 'index.mjs'), 'utf8');
    expect(describeLegacySource(source)).toEqual({ kind: 'class', meta: {}, hookMethods: ['on_chat'] });
  });

  it('should read strings with quotes and escapes, and permission lists', () => {
    const source = `
      export const plugin = {
        meta: { "name": 'It\\'s here', version: "1.2.3", permissions: ['net', "filesystem"], nested: { name: 'no' } },
        on_boot() {}, run: (input) => input,
      };`;
    expect(describeLegacySource(source)).toEqual({
      kind: 'object',
      meta: { name: "It's here", version: '1.2.3', permissions: ['net', 'filesystem'] },
      hookMethods: ['on_boot'],
    });
  });

  it('should not take a comment or an ordinary module for a plugin', () => {
    expect(
      describeLegacySource('// export const plugin = { meta: {} };\nexport const x = 1;'),
    ).toBeUndefined();
    expect(describeLegacySource('/* export default class A { on_chat() {} } */')).toBeUndefined();
    expect(describeLegacySource('export default { add(a, b) { return a + b; } };')).toBeUndefined();
    expect(describeLegacySource('export default class Helper { helps() {} }')).toBeUndefined();
  });

  it('should leave a meta value it cannot read out, rather than guess it', () => {
    const template = ['`n$', '{v}`'].join(''); // a template literal with a placeholder
    const source = `const v = "2.0.0";\nexport const plugin = { meta: { name: ${template}, version: v } };`;
    expect(describeLegacySource(source)).toEqual({ kind: 'object', meta: {}, hookMethods: [] });
  });
});
