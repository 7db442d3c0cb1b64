import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractArchive, packPlugin, signPlugin, verifyPackage } from '../../../src/packaging/index.js';
import { parseTrustStore } from '../../../src/security/index.js';
import { craftTgz, craftZip } from './craft-archives.js';
import { keyPart, sshKeygen, writePlugin } from './ssh-fixtures.js';

let dir: string;
let plugin: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jovian-pack-'));
  plugin = await writePlugin(join(dir, 'hello'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('packPlugin', () => {
  it('should write a canonical MANIFEST.json and <id>-<version>.tgz, leaving out .git and junk', async () => {
    await mkdir(join(plugin, '.git'));
    await writeFile(join(plugin, '.git', 'HEAD'), 'ref');
    await writeFile(join(plugin, '.DS_Store'), 'junk');
    const result = await packPlugin(plugin, join(dir, 'out'));
    expect(result).toMatchObject({ id: 'hello', version: '1.2.3', files: 3, signed: false });
    expect(result.file).toBe(join(dir, 'out', 'hello-1.2.3.tgz'));
    const manifest = await readFile(join(plugin, 'MANIFEST.json'), 'utf8');
    expect(manifest).toMatch(
      /^\{"id":"hello","version":"1\.2\.3","files":\{"index\.js":"[0-9a-f]{64}","lib\/util\.js":"[0-9a-f]{64}","plugin\.yaml":"[0-9a-f]{64}"\}\}$/,
    );
    const extracted = await extractArchive(result.file, join(dir, 'staging'));
    expect(extracted.files).toEqual(['MANIFEST.json', 'index.js', 'lib/util.js', 'plugin.yaml']);
  });

  it('should give the same bytes when packed twice', async () => {
    const first = await readFile((await packPlugin(plugin, join(dir, 'a'))).file);
    await new Promise((r) => setTimeout(r, 1100));
    await writeFile(join(plugin, 'index.js'), await readFile(join(plugin, 'index.js')));
    const second = await readFile((await packPlugin(plugin, join(dir, 'b'))).file);
    expect(second.equals(first)).toBe(true);
  });

  it('should refuse a symbolic link in the plugin folder', async () => {
    await symlink('/etc/passwd', join(plugin, 'passwd'));
    await expect(packPlugin(plugin, dir)).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_LINK',
      message: expect.stringContaining('passwd'),
    });
  });

  it('should refuse a plugin.sig that signs older files', async () => {
    const { key } = await sshKeygen(dir);
    await signPlugin(plugin, key);
    await writeFile(join(plugin, 'index.js'), 'changed');
    await expect(packPlugin(plugin, dir)).rejects.toMatchObject({ code: 'JOVIAN_E_SIGNATURE_STALE' });
  });
});

describe('signing and verifying a .tgz', () => {
  it('should add plugin.sig to the archive and verify it after extraction', async () => {
    const { key, publicLine } = await sshKeygen(dir);
    const { file } = await packPlugin(plugin, dir);
    await signPlugin(file, key);
    const store = parseTrustStore(`me@example.org ${keyPart(publicLine)} trust=official`, 'store');
    await expect(verifyPackage(file, store)).resolves.toMatchObject({
      id: 'hello',
      signer: 'me@example.org',
      trust: 'official',
    });
    const extracted = await extractArchive(file, join(dir, 'staging'));
    expect(extracted.files).toContain('plugin.sig');
  });

  it('should refuse an archive holding a file that MANIFEST.json does not list, even under .git', async () => {
    const { key, publicLine } = await sshKeygen(dir);
    await signPlugin(plugin, key);
    const names = ['MANIFEST.json', 'plugin.sig', 'plugin.yaml', 'index.js', 'lib/util.js'];
    const entries = await Promise.all(
      names.map(async (name) => ({ name, data: await readFile(join(plugin, name)) })),
    );
    const file = join(dir, 'extra.tgz');
    await writeFile(
      file,
      craftTgz([...entries, { name: '.git/hooks/post-checkout', data: Buffer.from('x') }]),
    );
    const store = parseTrustStore(`me@example.org ${keyPart(publicLine)}`, 'store');
    await expect(verifyPackage(file, store)).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_FILE_UNLISTED',
      message: expect.stringContaining('.git/hooks/post-checkout'),
    });
    await writeFile(file, craftTgz(entries));
    await expect(verifyPackage(file, store)).resolves.toMatchObject({ trust: 'community' });
  });

  it('should sign a .zip into <id>-<version>.tgz beside it, leaving the .zip as it was', async () => {
    const { key, publicLine } = await sshKeygen(dir);
    await packPlugin(plugin, dir);
    const names = ['MANIFEST.json', 'plugin.yaml', 'index.js', 'lib/util.js'];
    const zip = join(dir, 'hello.zip');
    const bytes = craftZip(
      await Promise.all(names.map(async (name) => ({ name, data: await readFile(join(plugin, name)) }))),
    );
    await writeFile(zip, bytes);
    const result = await signPlugin(zip, key);
    expect(result.file).toBe(join(dir, 'hello-1.2.3.tgz'));
    expect((await readFile(zip)).equals(bytes)).toBe(true);
    const store = parseTrustStore(`me@example.org ${keyPart(publicLine)}`, 'store');
    await expect(verifyPackage(result.file, store)).resolves.toMatchObject({ id: 'hello' });
  });
});
