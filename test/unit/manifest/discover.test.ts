import { mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPlugins } from '../../../src/manifest/index.js';

const manifest = (id: string, extra = '') =>
  `id: ${id}\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.js\n${extra}`;

describe('discoverPlugins', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'jovian-discover-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function plugin(dir: string, name: string, files: Record<string, string>): Promise<string> {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    for (const [file, content] of Object.entries(files)) await writeFile(join(folder, file), content);
    return folder;
  }

  it('should find manifest plugins and legacy modules, and skip hidden folders', async () => {
    const dir = join(root, 'plugins');
    await plugin(dir, 'alpha', { 'plugin.yaml': manifest('alpha') });
    await plugin(dir, 'beta', { 'plugin.yml': manifest('beta') });
    await plugin(dir, 'old', { 'plugin.mjs': 'export const plugin = { meta: {} };' });
    await plugin(dir, '.staging', { 'plugin.yaml': manifest('staging') });
    const result = await discoverPlugins([dir]);
    expect(result.plugins.map((p) => [p.identity.id, p.kind])).toEqual([
      ['alpha', 'manifest'],
      ['beta', 'manifest'],
      ['old', 'legacy'],
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('should follow a symbolic link to a plugin folder', async () => {
    const outside = await plugin(root, 'elsewhere', { 'plugin.yaml': manifest('linked') });
    const dir = join(root, 'plugins');
    await mkdir(dir);
    await symlink(outside, join(dir, 'linked'), 'dir');
    const result = await discoverPlugins([dir]);
    expect(result.plugins.map((p) => p.identity.id)).toEqual(['linked']);
  });

  it('should keep an invalid plugin listed with its diagnostics and the folder name as id', async () => {
    const dir = join(root, 'plugins');
    await plugin(dir, 'broken', { 'plugin.yaml': 'id: [unclosed\n' });
    const [found] = (await discoverPlugins([dir])).plugins;
    expect(found?.manifest).toBeUndefined();
    expect(found?.identity.id).toBe('broken');
    expect(found?.diagnostics[0]?.code).toBe('JOVIAN_E_YAML_SYNTAX');
  });

  it('should report a duplicate id at its manifest and keep the first directory’s plugin', async () => {
    const first = join(root, 'a');
    const second = join(root, 'b');
    await plugin(first, 'one', { 'plugin.yaml': manifest('same') });
    await plugin(second, 'two', { 'plugin.yaml': `# comment\n${manifest('same')}` });
    const result = await discoverPlugins([first, second]);
    expect(result.plugins.map((p) => p.dir)).toEqual([join(first, 'one')]);
    expect(result.diagnostics[0]).toMatchObject({
      code: 'JOVIAN_E_MANIFEST_DUPLICATE_ID',
      where: { file: join(second, 'two', 'plugin.yaml'), line: 2, column: 5 },
    });
  });

  it('should warn about a missing plugins directory and a folder that is not a plugin', async () => {
    const dir = join(root, 'plugins');
    await plugin(dir, 'notes', { 'README.md': 'not a plugin' });
    const result = await discoverPlugins([dir, join(root, 'missing')]);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['JOVIAN_E_MANIFEST_NOT_FOUND', 'warning'],
      ['JOVIAN_E_FILE_READ_FAILED', 'warning'],
    ]);
  });

  describe('#manifest cache', () => {
    it('should reuse cached results until a manifest changes', async () => {
      const dir = join(root, 'plugins');
      const cacheFile = join(root, 'cache', 'manifests.json');
      const folder = await plugin(dir, 'alpha', { 'plugin.yaml': manifest('alpha') });
      const first = await discoverPlugins([dir], { cacheFile });
      expect(first.plugins[0]?.manifest?.description).toBe('');
      const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as { entries: Record<string, unknown> };
      expect(Object.keys(cached.entries)).toEqual([join(folder, 'plugin.yaml')]);

      await writeFile(join(folder, 'plugin.yaml'), manifest('alpha', 'description: changed\n'));
      const second = await discoverPlugins([dir], { cacheFile });
      expect(second.plugins[0]?.manifest?.description).toBe('changed');
    });

    it('should notice an edit that keeps the size and the modification time', async () => {
      const dir = join(root, 'plugins');
      const cacheFile = join(root, 'cache', 'manifests.json');
      const folder = await plugin(dir, 'alpha', { 'plugin.yaml': manifest('alpha', 'description: aaaa\n') });
      await discoverPlugins([dir], { cacheFile });
      const file = join(folder, 'plugin.yaml');
      const stamp = new Date('2020-01-01T00:00:00Z');
      await writeFile(file, manifest('alpha', 'description: bbbb\n'));
      await utimes(file, stamp, stamp);
      const result = await discoverPlugins([dir], { cacheFile });
      expect(result.plugins[0]?.manifest?.description).toBe('bbbb');
    });

    it('should ignore a corrupt cache file', async () => {
      const dir = join(root, 'plugins');
      const cacheFile = join(root, 'manifests.json');
      await plugin(dir, 'alpha', { 'plugin.yaml': manifest('alpha') });
      await writeFile(cacheFile, '{ not json');
      const result = await discoverPlugins([dir], { cacheFile });
      expect(result.plugins[0]?.manifest?.id).toBe('alpha');
    });
  });
});
