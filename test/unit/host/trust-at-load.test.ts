/**
 * The host verifies plugin signatures when it loads plugins: a verified plugin gets its signer's trust
 * (and so its isolation floor); a missing or failed signature makes it `unsigned` in permissive mode and
 * refuses it in strict mode, except unsigned local plugins when the operator allows them ("dev / unsigned").
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost, describePlugin, type PluginHost } from '../../../src/index.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';
import { signFolder, type TrustedKey, trustedKey, writeTrustStore } from '../../helpers/signed-plugins.js';

/** Where the plugin's code runs, as seen from inside it. */
const WHERE_CODE = `import { isMainThread } from 'node:worker_threads';
export default { run: () => ({ pid: process.pid, mainThread: isMainThread }) };
// version one
`;

describe('trust at load', () => {
  let fixture: Fixture;
  let host: PluginHost | undefined;
  let official: TrustedKey;
  let community: TrustedKey;

  beforeEach(async () => {
    fixture = await createFixture();
    await mkdir(fixture.dataDir, { recursive: true });
    official = await trustedKey(fixture.root, 'team@example.org', 'official');
    community = await trustedKey(fixture.root, 'bob@example.org', 'community');
    await writeTrustStore(fixture.dataDir, [official, community]);
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await fixture.cleanup();
  });

  const writeConfig = (yaml: string) => writeFile(join(fixture.dataDir, 'jovian.yaml'), yaml);
  const start = async (options: Parameters<typeof createHost>[0] = {}) => {
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      ...options,
    });
    await host.start();
    return host;
  };
  const addSigned = async (id: string, key: TrustedKey) => {
    const dir = await fixture.add(id, { code: WHERE_CODE });
    await signFolder(dir, key);
    return dir;
  };

  it('should give a verified plugin its signer’s trust, and run it at that level’s floor', async () => {
    const officialDir = await addSigned('by_team', official);
    await addSigned('by_bob', community);
    const h = await start();

    const team = describePlugin(h.record('by_team')!);
    expect(team).toMatchObject({
      trust: 'official',
      runtime: 'inprocess',
      declaredRuntime: null,
      dev_unsigned: false,
      signature: {
        signer: 'team@example.org',
        fingerprint: official.fingerprint,
        date: (await stat(join(officialDir, 'plugin.sig'))).mtime.toISOString(),
      },
    });
    expect(team.signature?.fingerprint).toMatch(/^SHA256:/);
    expect(await h.run('by_team', {})).toEqual({ pid: process.pid, mainThread: true });

    expect(describePlugin(h.record('by_bob')!)).toMatchObject({
      trust: 'community',
      runtime: 'worker',
      declaredRuntime: 'inprocess',
      signature: { signer: 'bob@example.org', fingerprint: community.fingerprint },
    });
    expect(await h.run('by_bob', {})).toEqual({ pid: process.pid, mainThread: false });
  });

  describe('a signed plugin with one flipped byte', () => {
    let file: string;
    beforeEach(async () => {
      const dir = await addSigned('tampered', official);
      file = join(dir, 'index.mjs');
      const bytes = await readFile(file); // the last byte before the newline is in a comment
      bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 1;
      await writeFile(file, bytes);
    });

    it('should be refused in strict mode, naming the file', async () => {
      await writeConfig('security:\n  mode: strict\n  allow_unsigned_local_plugins: true\n');
      const h = await start();
      const record = h.record('tampered')!;
      expect(record).toMatchObject({ state: 'error', reasonCode: 'JOVIAN_E_PLUGIN_SIGNATURE_REFUSED' });
      expect(record.reason).toContain(`${file} was changed after signing`);
      expect(record.reason).toContain('JOVIAN_E_PACKAGE_FILE_CHANGED');
      expect(record.diagnostics.find((d) => d.code === 'JOVIAN_E_PLUGIN_SIGNATURE_REFUSED')?.hint).toContain(
        'jovian plugins verify',
      );
      await expect(h.run('tampered', {})).rejects.toBeDefined();
    });

    it('should load as unsigned with a warning naming the file in permissive mode', async () => {
      const h = await start();
      const details = describePlugin(h.record('tampered')!);
      expect(details).toMatchObject({
        state: 'resolved',
        trust: 'unsigned',
        signature: null,
        dev_unsigned: false,
        runtime: 'process',
      });
      expect(details.diagnostics).toContainEqual(
        expect.objectContaining({
          code: 'JOVIAN_E_PACKAGE_FILE_CHANGED',
          severity: 'warning',
          message: expect.stringContaining(`loads as unsigned: its signature does not verify: ${file}`),
        }),
      );
      expect(((await h.run('tampered', {})) as { pid: number }).pid).not.toBe(process.pid);
    });
  });

  it('should treat a key missing from the trust store as a failed signature', async () => {
    const stranger = await trustedKey(fixture.root, 'eve@example.org', 'official');
    await signFolder(await fixture.add('stranger'), stranger);
    const h = await start();
    expect(describePlugin(h.record('stranger')!)).toMatchObject({
      trust: 'unsigned',
      diagnostics: [
        expect.objectContaining({
          code: 'JOVIAN_E_SIGNATURE_UNKNOWN_KEY',
          message: expect.stringContaining(stranger.fingerprint),
        }),
      ],
    });
    await h.stop();
    await writeConfig('security:\n  mode: strict\n');
    const strict = await start();
    expect(strict.record('stranger')).toMatchObject({
      state: 'error',
      reasonCode: 'JOVIAN_E_PLUGIN_SIGNATURE_REFUSED',
      reason: expect.stringContaining('JOVIAN_E_SIGNATURE_UNKNOWN_KEY'),
    });
  });

  it('should refuse a plugin with an unlisted file in strict mode', async () => {
    const dir = await addSigned('grown', official);
    await writeFile(join(dir, 'extra.js'), 'export const more = 1;\n');
    await writeConfig('security:\n  mode: strict\n');
    const h = await start();
    expect(h.record('grown')).toMatchObject({
      state: 'error',
      reason: expect.stringContaining(`${join(dir, 'extra.js')} is not listed in MANIFEST.json`),
    });
  });

  it('should refuse unsigned plugins in strict mode, legacy ones without importing them', async () => {
    await fixture.add('plain');
    await addSigned('by_team', official);
    const legacy = join(fixture.pluginsDir, 'oldie');
    const marker = join(fixture.root, 'legacy-imported.txt');
    await mkdir(legacy);
    await writeFile(
      join(legacy, 'index.mjs'),
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(marker)}, 'x');\nexport const plugin = { meta: { id: 'oldie', name: 'Oldie', version: '1.0.0' }, run: () => 'old' };\n`,
    );
    await writeConfig('security:\n  mode: strict\n');
    const h = await start({ isolation: { allow: ['oldie'] } });
    const plain = h.record('plain')!;
    expect(plain).toMatchObject({ state: 'error', reasonCode: 'JOVIAN_E_PLUGIN_UNSIGNED' });
    expect(plain.reason).toContain(`${join(fixture.pluginsDir, 'plain')} has no plugin.sig`);
    expect(plain.diagnostics[0]?.hint).toContain('allow_unsigned_local_plugins');
    expect(h.record('oldie')).toMatchObject({
      state: 'error',
      reasonCode: 'JOVIAN_E_PLUGIN_UNSIGNED',
      reason: expect.stringContaining('legacy plugin, which cannot carry a signature'),
    });
    await expect(readFile(marker)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(h.record('by_team')).toMatchObject({ state: 'resolved', trust: 'official' });
  });

  it('should load unsigned plugins as "dev / unsigned" in strict mode when the operator allows them', async () => {
    await fixture.add('plain', { code: WHERE_CODE });
    await addSigned('by_team', official);
    await writeConfig('security:\n  mode: strict\n  allow_unsigned_local_plugins: true\n');
    const h = await start();
    expect(describePlugin(h.record('plain')!)).toMatchObject({
      state: 'resolved',
      trust: 'unsigned',
      dev_unsigned: true,
      signature: null,
      runtime: 'process',
    });
    expect(((await h.run('plain', {})) as { pid: number }).pid).not.toBe(process.pid);
    expect(describePlugin(h.record('by_team')!)).toMatchObject({ trust: 'official', dev_unsigned: false });
  });

  it('should leave unsigned plugins unsigned, with no warning, in permissive mode', async () => {
    await fixture.add('plain');
    const h = await start();
    expect(describePlugin(h.record('plain')!)).toMatchObject({
      state: 'resolved',
      trust: 'unsigned',
      dev_unsigned: false,
      signature: null,
      diagnostics: [],
    });
  });

  it('should read the trust store the application names', async () => {
    await addSigned('by_team', official);
    const other = join(fixture.root, 'elsewhere_signers');
    await writeFile(other, `${community.line}\n`);
    const h = await start({ trustStore: other });
    expect(h.record('by_team')).toMatchObject({ trust: 'unsigned' });
    expect(h.record('by_team')?.diagnostics[0]?.code).toBe('JOVIAN_E_SIGNATURE_UNKNOWN_KEY');
  });

  it('should reload a signed plugin only while its files still verify, keeping its trust', async () => {
    const dir = await addSigned('by_team', official);
    const h = await start({ developerMode: true });
    await h.activate('by_team');
    await writeFile(join(dir, 'index.mjs'), 'export default { run: () => "changed" };\n');
    const refused = await h.reload('by_team');
    expect(refused).toMatchObject({ ok: false, error: { code: 'JOVIAN_E_RELOAD_FAILED' } });
    expect(refused.error?.message).toContain('its signature no longer verifies');
    expect(await h.run('by_team', {})).toEqual({ pid: process.pid, mainThread: true });

    await signFolder(dir, official);
    const reloaded = await h.reload('by_team');
    expect(reloaded.ok).toBe(true);
    expect(await h.run('by_team', {})).toBe('changed');
    expect(describePlugin(h.record('by_team')!)).toMatchObject({
      trust: 'official',
      signature: { signer: 'team@example.org' },
    });
  });

  it('should not let a hot reload lift a strict-mode refusal', async () => {
    await fixture.add('plain', { code: WHERE_CODE });
    await writeConfig('security:\n  mode: strict\n');
    const h = await start({ developerMode: true });
    const result = await h.reload('plain');
    expect(result).toMatchObject({ ok: false, error: { code: 'JOVIAN_E_RELOAD_FAILED' } });
    expect(result.error?.message).toContain('has no plugin.sig');
    expect(h.record('plain')).toMatchObject({ state: 'error', reasonCode: 'JOVIAN_E_PLUGIN_UNSIGNED' });
    await expect(h.run('plain', {})).rejects.toBeDefined();
  });
});
