/**
 * jovian.lock seen from the library: an entry written the way the installer writes it (lockEntryFor +
 * writeLockEntry), a plugin that drifted from it never started (nor its dependents), updateLock.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockFileFor, readLockFile, writeLockEntry } from '../../../src/config/index.js';
import { createHost, type PluginHost } from '../../../src/index.js';
import { lockEntryFor } from '../../../src/security/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

declare global {
  var __jovianLockLog: string[] | undefined;
}

const eager = (id: string) =>
  `export default { activate() { (globalThis.__jovianLockLog ??= []).push('${id}'); } };\n`;

describe('PluginHost with jovian.lock', () => {
  let fixture: Fixture;
  let host: PluginHost | undefined;
  let lockFile: string;

  const makeHost = (updateLock = false) => {
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
      updateLock,
    });
    return host;
  };
  const lockAsInstalled = async (id: string) => {
    const manifest = {
      id,
      version: '1.0.0',
      permissions: { fs_read: false, fs_write: false, run_commands: false, network_outbound: false },
    };
    const entry = await lockEntryFor({ path: join(fixture.pluginsDir, id), manifest }, true, {
      source: `${id}-1.0.0.tgz`,
      trust: 'verified',
      signer: 'team@example.org',
    });
    await writeLockEntry(lockFile, id, entry);
  };

  beforeEach(async () => {
    fixture = await createFixture();
    globalThis.__jovianLockLog = [];
    lockFile = lockFileFor({ dataDir: fixture.dataDir });
    await fixture.add('base', { manifest: { activation: ['onStartup'] }, code: eager('base') });
    await fixture.add('user', {
      manifest: { activation: ['onStartup'], dependencies: [{ id: 'base' }] },
      code: eager('user'),
    });
    await lockAsInstalled('base');
    await lockAsInstalled('user');
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await fixture.cleanup();
  });

  it('should start plugins that match their entries', async () => {
    await makeHost().start();
    expect(globalThis.__jovianLockLog).toEqual(['base', 'user']);
    expect(host!.record('base')?.diagnostics).toEqual([]);
  });

  it('should never start a plugin that drifted, nor its dependents, and say why', async () => {
    await appendFile(join(fixture.pluginsDir, 'base', 'index.mjs'), '// changed\n');
    await makeHost().start();
    expect(globalThis.__jovianLockLog).toEqual([]);
    const base = host!.record('base')!;
    expect(base.state).toBe('blocked');
    expect(base.reason).toBe('plugin `base` differs from jovian.lock: content changed');
    expect(base.diagnostics[0]?.hint).toContain('jovian plugins lock --update base');
    expect(host!.record('user')?.state).toBe('blocked');
    expect(host!.record('user')?.reason).toContain('needs `base`');
  });

  it('should rewrite a drifted entry with updateLock, keeping its source and dropping trust and signer', async () => {
    await appendFile(join(fixture.pluginsDir, 'base', 'index.mjs'), '// changed\n');
    const before = (await readLockFile(lockFile))!.plugins;
    await makeHost(true).start();
    expect(globalThis.__jovianLockLog).toEqual(['base', 'user']);
    const after = (await readLockFile(lockFile))!.plugins;
    expect(after.base!.hash).not.toBe(before.base!.hash);
    expect(after.base).toMatchObject({ source: 'base-1.0.0.tgz' });
    expect(after.base!.trust).toBeUndefined();
    expect(after.base!.signer).toBeUndefined();
    expect(after.user).toEqual(before.user);
    expect(JSON.parse(await readFile(lockFile, 'utf8')).plugins.user.signer).toBe('team@example.org');
  });
});
