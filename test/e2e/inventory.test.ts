import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ExtensionEntry } from '../../src/manifest/index.js';
import { jovian, ROOT } from './cli-helpers.js';

/** A tree holding the example plugins plus one extension of each kind the examples lack. */
async function buildTree(root: string): Promise<void> {
  await cp(join(ROOT, 'examples', 'plugins'), join(root, 'examples'), {
    recursive: true,
    filter: (path) => !path.includes('node_modules'),
  });
  const write = async (path: string, text: string) => {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  };
  const manifest = (fields: Record<string, unknown>) =>
    stringify({ type: 'tool', version: '2.1.0', engines: { jovian: '*' }, ...fields });
  await write(
    'extra/py_stats/plugin.yaml',
    manifest({ id: 'py_stats', runtime: 'process', main: 'main.py', command: ['python3', 'main.py'] }),
  );
  await write('extra/py_stats/main.py', 'print("never run by the inventory")\n');
  await write(
    'extra/remote_hook/plugin.yaml',
    manifest({ id: 'remote_hook', runtime: 'webhook', webhook: { url: 'https://hooks.example.com/jovian' } }),
  );
  await write(
    'extra/scripts/shout.lua',
    '-- @id shout\n-- @name Shout\n-- @version 0.2.0\n\nfunction on_chat(message)\n  return { loud = true }\nend\n',
  );
  await write('extra/scripts/helper.lua', 'return { not_a_plugin = true }\n');
  await write(
    'extra/old_timer/plugin.js',
    `// Not run by the inventory: a top-level throw proves it.
throw new Error('the inventory ran this module');
export const plugin = {
  meta: { name: 'Old timer', version: '0.9.1', permissions: ['net'] },
  run() { return 1; },
};
`,
  );
  await write('extra/just_code/index.js', 'export function add(a, b) { return a + b; }\n');
  await write(
    'extra/broken/plugin.yaml',
    'id: broken\ntype: tool\nversion: one\nengines: { jovian: "*" }\nmain: index.js\n',
  );
  await write('node_modules/hidden/plugin.yaml', manifest({ id: 'hidden', main: 'index.js' }));
  await write('.cache/dotted/plugin.yaml', manifest({ id: 'dotted', main: 'index.js' }));
}

describe('jovian inventory', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'jovian-inventory-'));
    await buildTree(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('should list each extension of the tree with its kind, runtime and language', async () => {
    const result = await jovian(['inventory', root, '--format', 'json']);
    expect(result.code).toBe(0);
    const { extensions } = JSON.parse(await readFile(join(root, 'plugins.json'), 'utf8')) as {
      extensions: ExtensionEntry[];
    };
    const byId = new Map(extensions.map((e) => [e.id, e]));
    expect(byId.get('py_stats')).toMatchObject({
      kind: 'plugin_yaml',
      runtime: 'process',
      language: 'Python',
      entry: 'python3 main.py',
      path: 'extra/py_stats',
      problems: [],
    });
    expect(byId.get('remote_hook')).toMatchObject({
      kind: 'plugin_yaml',
      runtime: 'webhook',
      entry: 'https://hooks.example.com/jovian',
    });
    expect(byId.get('shout')).toMatchObject({
      kind: 'lua_file',
      runtime: 'lua',
      language: 'Lua',
      version: '0.2.0',
      path: 'extra/scripts/shout.lua',
    });
    expect(byId.get('old_timer')).toMatchObject({
      kind: 'legacy_module',
      name: 'Old timer',
      version: '0.9.1',
      language: 'JavaScript',
    });
    expect(byId.get('word_counter')).toMatchObject({ kind: 'plugin_yaml', language: 'Python' });
    expect(byId.get('bash_echo')).toMatchObject({ kind: 'plugin_yaml', language: 'Bash' });
    expect(byId.get('welcome')).toMatchObject({ kind: 'lua_file' });
    expect(byId.get('legacy_echo')).toMatchObject({ kind: 'legacy_module', name: 'Echo' });
    expect(byId.get('legacy_greeter')).toMatchObject({ kind: 'legacy_module' });
    // Not extensions: a Lua file without a header, plain code, and what is hidden or vendored.
    for (const id of ['helper', 'just_code', 'hidden', 'dotted']) expect(byId.has(id)).toBe(false);
    expect(extensions.map((e) => e.path)).toEqual([...extensions.map((e) => e.path)].sort());
    expect(result.stdout).toContain('legacy module');
    expect(result.stdout).toContain(`wrote ${join(root, 'plugins.json')}`);
  });

  it('should show the problem of a broken manifest where it is, in the Markdown inventory', async () => {
    const result = await jovian(['inventory', '--out', join(root, 'out')], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/broken \(extra\/broken\): .*version.* \[JOVIAN_E_MANIFEST_BAD_VERSION\]/);
    const markdown = await readFile(join(root, 'out', 'extension_inventory.md'), 'utf8');
    expect(markdown).toMatch(
      /^\| plugin\.yaml \| broken \| broken \| one \| - \| unknown \| extra\/broken \| 1 error \|$/m,
    );
    expect(markdown).toMatch(
      /^\| Lua file \| shout \| Shout \| 0\.2\.0 \| lua \| Lua \| extra\/scripts\/shout\.lua \| none \|$/m,
    );
    expect(markdown).toMatch(/^\| legacy module \| old_timer \| Old timer \| 0\.9\.1 \|/m);
    expect(markdown).toContain('`extra/broken/plugin.yaml:3:');
    expect(markdown).toContain('[JOVIAN_E_MANIFEST_BAD_VERSION]');
  });

  it('should print the document with --out - and write nothing', async () => {
    const result = await jovian(['inventory', join(root, 'extra'), '--out', '-']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# Extension inventory\n/);
    await expect(readFile(join(root, 'extra', 'extension_inventory.md'), 'utf8')).rejects.toThrow();
  });

  it('should refuse a path that is not a folder', async () => {
    const result = await jovian(['inventory', join(root, 'nowhere')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('JOVIAN_E_INVENTORY_ROOT_INVALID');
  });
});
