import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildManifest,
  canonicalManifestBytes,
  lockEntryFor,
  pluginContentHash,
} from '../../../src/security/index.js';

const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('pluginContentHash', () => {
  let root: string;
  let plugin: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'jovian-hash-'));
    plugin = join(root, 'hello');
    await mkdir(join(plugin, 'lib'), { recursive: true });
    await writeFile(join(plugin, 'plugin.yaml'), 'id: hello\nversion: 1.0.0\n');
    await writeFile(join(plugin, 'lib', 'util.js'), 'export const x = 1;\n');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('should be the SHA-256 of the canonical MANIFEST.json of a folder', async () => {
    const expected = sha256(canonicalManifestBytes(await buildManifest(plugin, 'hello', '1.0.0')));
    expect(await pluginContentHash(plugin, 'hello', '1.0.0')).toBe(expected);
  });

  it('should ignore MANIFEST.json, plugin.sig and .git, and change when a file changes', async () => {
    const before = await pluginContentHash(plugin, 'hello', '1.0.0');
    await writeFile(join(plugin, 'MANIFEST.json'), '{}');
    await writeFile(join(plugin, 'plugin.sig'), 'sig');
    await mkdir(join(plugin, '.git'));
    await writeFile(join(plugin, '.git', 'HEAD'), 'ref');
    expect(await pluginContentHash(plugin, 'hello', '1.0.0')).toBe(before);
    await writeFile(join(plugin, 'lib', 'util.js'), 'export const x = 2;\n');
    expect(await pluginContentHash(plugin, 'hello', '1.0.0')).not.toBe(before);
  });

  it('should be the SHA-256 of the file of a single-file Lua plugin', async () => {
    const file = join(root, 'greeter.lua');
    await writeFile(file, '-- @id greeter\nreturn {}\n');
    expect(await pluginContentHash(file, 'greeter', '1.0.0')).toBe(sha256('-- @id greeter\nreturn {}\n'));
  });

  it('should build a lock entry with sorted permissions and the installer fields given', async () => {
    const permissions = {
      fs_read: ['/b', '/a'],
      fs_write: false,
      run_commands: false,
      network_outbound: true,
    };
    const entry = await lockEntryFor(
      { path: plugin, manifest: { id: 'hello', version: '1.0.0', permissions } },
      true,
      { source: 'hello-1.0.0.tgz' },
    );
    expect(entry).toEqual({
      version: '1.0.0',
      hash: await pluginContentHash(plugin, 'hello', '1.0.0'),
      permissions: { ...permissions, fs_read: ['/a', '/b'] },
      enabled: true,
      source: 'hello-1.0.0.tgz',
    });
  });
});
