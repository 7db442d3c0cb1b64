import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPart, sshFingerprint, sshKeygen, writePlugin } from '../unit/packaging/ssh-fixtures.js';
import { jovian } from './cli-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jovian-e2e-pkg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jovian plugins pack / sign / verify', () => {
  it('should pack, sign the .tgz, and verify it with the trust store', async () => {
    const plugin = await writePlugin(join(dir, 'hello'));
    const { key, publicLine } = await sshKeygen(dir);
    const store = join(dir, 'allowed_signers');
    await writeFile(
      store,
      `dev@example.org namespaces="jovian-plugin" ${keyPart(publicLine)} trust=official\n`,
    );

    const pack = await jovian(['plugins', 'pack', plugin, '--out', join(dir, 'dist')]);
    expect(pack.stderr).toBe('');
    expect(pack.code).toBe(0);
    const tgz = join(dir, 'dist', 'hello-1.2.3.tgz');
    expect(pack.stdout).toContain(tgz);

    const sign = await jovian(['plugins', 'sign', tgz, '--key', key]);
    expect(sign.code).toBe(0);
    expect(sign.stdout).toContain(sshFingerprint(`${key}.pub`));

    const verify = await jovian(['plugins', 'verify', tgz, '--trust-store', store, '--json']);
    expect(verify.code).toBe(0);
    expect(verify.json()).toEqual({
      id: 'hello',
      version: '1.2.3',
      signer: 'dev@example.org',
      fingerprint: sshFingerprint(`${key}.pub`),
      trust: 'official',
    });
    const text = await jovian(['plugins', 'verify', tgz, '--trust-store', store]);
    expect(text.stdout).toMatch(/signer\s+dev@example\.org/);
    expect(text.stdout).toMatch(/trust\s+official/);
  });

  it('should exit 1 naming the changed file and the error code', async () => {
    const plugin = await writePlugin(join(dir, 'changed'));
    const { key, publicLine } = await sshKeygen(dir, 'key2');
    const store = join(dir, 'store2');
    await writeFile(store, `dev@example.org ${keyPart(publicLine)}\n`);
    expect((await jovian(['plugins', 'sign', plugin, '--key', key])).code).toBe(0);
    await writeFile(join(plugin, 'index.js'), `${await readFile(join(plugin, 'index.js'), 'utf8')}//`);
    const verify = await jovian(['plugins', 'verify', plugin, '--trust-store', store]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('index.js');
    expect(verify.stderr).toContain('JOVIAN_E_PACKAGE_FILE_CHANGED');
    const unknown = await jovian(['plugins', 'verify', plugin, '--trust-store', join(dir, 'none')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('JOVIAN_E_SIGNATURE_UNKNOWN_KEY');
  });
});

describe('jovian plugins list / info of a signed plugin', () => {
  it('should show the trust its signature gives, and who signed it, when, with which key', async () => {
    const data = join(dir, 'data');
    const plugins = join(dir, 'installed');
    const plugin = await writePlugin(join(plugins, 'signed'), 'signed', '2.0.0');
    await writePlugin(join(plugins, 'plain'), 'plain', '1.0.0');
    const { key, publicLine } = await sshKeygen(dir, 'key3');
    await mkdir(data, { recursive: true });
    await writeFile(
      join(data, 'allowed_signers'),
      `team@example.org namespaces="jovian-plugin" ${keyPart(publicLine)} trust=verified\n`,
    );
    expect((await jovian(['plugins', 'pack', plugin, '--out', join(dir, 'dist3')])).code).toBe(0);
    expect((await jovian(['--data-dir', data, 'plugins', 'sign', plugin, '--key', key])).code).toBe(0);
    const base = ['--plugins-dir', plugins, '--data-dir', data];

    const table = await jovian([...base, 'plugins', 'list']);
    expect(table.stdout).toMatch(/signed\s+signed\s+tool\s+2\.0\.0\s+inprocess\s+resolved\s+verified\s/);
    expect(table.stdout).toMatch(/plain\s+plain\s+tool\s+1\.0\.0\s+process\s+resolved\s+unsigned\s/);

    const info = await jovian([...base, 'plugins', 'info', 'signed']);
    const date = (await stat(join(plugin, 'plugin.sig'))).mtime.toISOString();
    expect(info.stdout).toMatch(/trust\s+verified/);
    expect(info.stdout).toMatch(/signed by\s+team@example\.org/);
    expect(info.stdout).toContain(`signed on   ${date}`);
    expect(info.stdout).toContain(`key         ${sshFingerprint(`${key}.pub`)}`);

    const json = (await jovian([...base, 'plugins', 'list', '--json'])).json<{
      plugins: { id: string; trust: string; signature: unknown; dev_unsigned: boolean }[];
    }>();
    expect(json.plugins.find((p) => p.id === 'signed')).toMatchObject({
      trust: 'verified',
      signature: { signer: 'team@example.org', fingerprint: sshFingerprint(`${key}.pub`), date },
      dev_unsigned: false,
    });
  });
});
