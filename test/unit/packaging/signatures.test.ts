import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signPlugin, verifyPackage } from '../../../src/packaging/index.js';
import { buildManifest, canonicalManifestBytes, parseTrustStore } from '../../../src/security/index.js';
import {
  keyPart,
  signWithSshKeygen as signWithStockTool,
  sshFingerprint,
  sshKeygen,
  writePlugin,
} from './ssh-fixtures.js';

let dir: string;
let plugin: string;
let key: string;
let store: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jovian-sign-'));
  plugin = await writePlugin(join(dir, 'hello'));
  const pair = await sshKeygen(dir);
  key = pair.key;
  store = `alice@example.org namespaces="jovian-plugin" ${keyPart(pair.publicLine)} trust=verified\n`;
  await writeFile(join(dir, 'allowed_signers'), store);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const signers = () => parseTrustStore(store, 'allowed_signers');

/** Signs the test plugin as `id@version` in `namespace` with the stock ssh-keygen. */
const signWithSshKeygen = (id = 'hello', version = '1.2.3', namespace = 'jovian-plugin') =>
  signWithStockTool(plugin, key, { id, version, namespace });

describe('plugin signatures', () => {
  it('should verify a signature made by ssh-keygen -Y sign', async () => {
    await signWithSshKeygen();
    const result = await verifyPackage(plugin, signers());
    expect(result).toEqual({
      id: 'hello',
      version: '1.2.3',
      signer: 'alice@example.org',
      fingerprint: sshFingerprint(`${key}.pub`),
      trust: 'verified',
    });
  });

  it('should make signatures that ssh-keygen -Y verify accepts with the same trust store', async () => {
    const result = await signPlugin(plugin, key);
    expect(result.fingerprint).toBe(sshFingerprint(`${key}.pub`));
    const check = spawnSync(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        join(dir, 'allowed_signers'),
        '-I',
        'alice@example.org',
        '-n',
        'jovian-plugin',
        '-s',
        join(plugin, 'plugin.sig'),
      ],
      { input: await readFile(join(plugin, 'MANIFEST.json')), encoding: 'utf8' },
    );
    expect(check.stdout + check.stderr).toContain('Good "jovian-plugin" signature for alice@example.org');
    expect(check.status).toBe(0);
  });

  it('should name the file when one byte of any signed file changes', async () => {
    await signPlugin(plugin, key);
    for (const file of ['plugin.yaml', 'index.js', 'lib/util.js']) {
      const path = join(plugin, file);
      const original = await readFile(path);
      const flipped = Buffer.from(original);
      flipped[0] = (flipped[0] as number) ^ 1;
      await writeFile(path, flipped);
      await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
        code: 'JOVIAN_E_PACKAGE_FILE_CHANGED',
        message: expect.stringContaining(file),
      });
      await writeFile(path, original);
    }
    await expect(verifyPackage(plugin, signers())).resolves.toMatchObject({ trust: 'verified' });
  });

  it('should fail on a changed MANIFEST.json or plugin.sig, naming them', async () => {
    await signPlugin(plugin, key);
    const manifest = join(plugin, 'MANIFEST.json');
    const original = await readFile(manifest, 'utf8');
    await writeFile(manifest, original.replace('"hello"', '"hellp"'));
    await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
      code: 'JOVIAN_E_SIGNATURE_BAD',
      message: expect.stringContaining('MANIFEST.json'),
    });
    await writeFile(manifest, original);
    const sig = join(plugin, 'plugin.sig');
    const lines = (await readFile(sig, 'utf8')).split('\n');
    const last = lines[lines.length - 3] as string;
    lines[lines.length - 3] = `${last.slice(0, 5)}${last[5] === 'A' ? 'B' : 'A'}${last.slice(6)}`;
    await writeFile(sig, lines.join('\n'));
    await expect(verifyPackage(plugin, signers())).rejects.toThrow(/plugin\.sig/);
  });

  it('should refuse a missing file, an unlisted file and a symbolic link', async () => {
    await signPlugin(plugin, key);
    await writeFile(join(plugin, 'extra.js'), 'x');
    await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_FILE_UNLISTED',
      message: expect.stringContaining('extra.js'),
    });
    await unlink(join(plugin, 'extra.js'));
    await symlink('/etc/passwd', join(plugin, 'link'));
    await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({ code: 'JOVIAN_E_PACKAGE_LINK' });
    await unlink(join(plugin, 'link'));
    await unlink(join(plugin, 'lib', 'util.js'));
    await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_FILE_MISSING',
      message: expect.stringContaining('lib/util.js'),
    });
  });

  it('should refuse a signature made for another id or version than plugin.yaml declares', async () => {
    for (const [id, version] of [
      ['hello', '9.9.9'],
      ['other', '1.2.3'],
    ] as const) {
      await signWithSshKeygen(id, version);
      await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
        code: 'JOVIAN_E_PACKAGE_IDENTITY_MISMATCH',
        message: expect.stringContaining(`${id}@${version}`),
      });
    }
  });

  it('should refuse a key the trust store does not list, naming its fingerprint', async () => {
    const stranger = await sshKeygen(dir, 'stranger');
    await signPlugin(plugin, stranger.key);
    await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
      code: 'JOVIAN_E_SIGNATURE_UNKNOWN_KEY',
      message: expect.stringContaining(sshFingerprint(`${stranger.key}.pub`)),
    });
  });

  it('should refuse an unsigned plugin', async () => {
    await writeFile(
      join(plugin, 'MANIFEST.json'),
      canonicalManifestBytes(await buildManifest(plugin, 'hello', '1.2.3')),
    );
    await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_UNSIGNED',
    });
  });

  it('should refuse a signature made in another namespace', async () => {
    await signWithSshKeygen('hello', '1.2.3', 'git');
    await expect(verifyPackage(plugin, signers())).rejects.toMatchObject({
      code: 'JOVIAN_E_SIGNATURE_INVALID',
      message: expect.stringContaining('namespace `git`'),
    });
  });

  it('should refuse an encrypted private key with a way out', async () => {
    const encrypted = join(dir, 'locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', encrypted]);
    const error = await signPlugin(plugin, encrypted).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JOVIAN_E_SIGNATURE_KEY_INVALID' });
    expect((error as Error).message).toMatch(/encrypted.*ssh-keygen -Y sign/);
  });
});
