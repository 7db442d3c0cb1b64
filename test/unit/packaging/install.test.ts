/**
 * The install engine on real folders and packages: what ends up in `<data-dir>/plugins` (a link to a
 * complete version folder, or nothing), consent, strict mode with real ssh-keygen signatures,
 * downgrades, rollback when the first start fails, kept versions, uninstall and catalogs.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JovianError } from '../../../src/errors.js';
import {
  extractArchive,
  Installer,
  type InstallerHost,
  type InstallOptions,
  installPlugin,
  packPlugin,
} from '../../../src/packaging/index.js';
import { parseTrustStore } from '../../../src/security/index.js';
import { craftTgz } from './craft-archives.js';
import { keyPart, signWithSshKeygen, sshFingerprint, sshKeygen, writePlugin } from './ssh-fixtures.js';

let dir: string;
let pluginsDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jovian-install-'));
  pluginsDir = join(dir, 'data', 'plugins');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = (overrides: Partial<InstallOptions> = {}): InstallOptions => ({
  pluginsDir,
  mode: 'permissive',
  allowUnsignedLocal: false,
  signers: [],
  known: new Map(),
  ...overrides,
});

/** A plugin folder `hello@version` with extra plugin.yaml lines. */
async function plugin(version: string, extra = '', name = `src-${version}`): Promise<string> {
  const folder = await writePlugin(join(dir, name), 'hello', version);
  if (extra)
    await writeFile(
      join(folder, 'plugin.yaml'),
      `${await readFile(join(folder, 'plugin.yaml'), 'utf8')}${extra}`,
    );
  return folder;
}

/** What `<data-dir>/plugins` holds besides dot-names, and where `hello` points. */
async function installed(): Promise<{ names: string[]; target: string | undefined }> {
  const names = (await readdir(pluginsDir).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
  const target = await readlink(join(pluginsDir, 'hello')).catch(() => undefined);
  return { names, target };
}

async function versionOf(): Promise<string> {
  return /version: (\S+)/.exec(
    await readFile(join(pluginsDir, 'hello', 'plugin.yaml'), 'utf8'),
  )?.[1] as string;
}

async function rejection(promise: Promise<unknown>): Promise<JovianError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JovianError);
  return error as JovianError;
}

describe('installing a plugin', () => {
  it('should install an unsigned folder with consent, as a link to a complete version folder', async () => {
    const outcome = await installPlugin(await plugin('1.0.0'), base({ yes: true }));
    expect(outcome.status).toBe('installed');
    const { names, target } = await installed();
    expect(names).toEqual(['hello']);
    expect(target).toMatch(/^\.versions\/hello\/1\.0\.0_[0-9a-f]{12}$/);
    expect(await readFile(join(pluginsDir, 'hello', 'lib', 'util.js'), 'utf8')).toContain('two');
    expect((await readdir(pluginsDir)).filter((n) => n.includes('lock') || n.startsWith('.link'))).toEqual(
      [],
    );
  });

  it('should hold an unsigned package until consent, and change nothing meanwhile', async () => {
    const outcome = await installPlugin(await plugin('1.0.0'), base());
    expect(outcome.status).toBe('needs-consent');
    expect(outcome.plan.consent.join('\n')).toContain('unsigned');
    expect(await installed()).toEqual({ names: [], target: undefined });
    const asked: string[] = [];
    const accepted = await installPlugin(
      await plugin('1.0.0', '', 'again'),
      base({
        consent: async (plan) => {
          asked.push(plan.id);
          return true;
        },
      }),
    );
    expect(asked).toEqual(['hello']);
    expect(accepted.status).toBe('installed');
  });

  it('should refuse an unsigned package in strict mode, unless it is a local folder and allow_unsigned_local_plugins is set', async () => {
    const folder = await plugin('1.0.0');
    const error = await rejection(installPlugin(folder, base({ mode: 'strict', yes: true })));
    expect(error.code).toBe('JOVIAN_E_PACKAGE_UNSIGNED');
    expect(error.message).toContain('strict mode');
    expect(await installed()).toEqual({ names: [], target: undefined });
    const packed = await packPlugin(folder, join(dir, 'dist'));
    const archive = await rejection(
      installPlugin(packed.file, base({ mode: 'strict', yes: true, allowUnsignedLocal: true })),
    );
    expect(archive.code).toBe('JOVIAN_E_PACKAGE_UNSIGNED');
    const dev = await installPlugin(folder, base({ mode: 'strict', yes: true, allowUnsignedLocal: true }));
    expect(dev.status).toBe('installed');
    expect(dev.plan.trust).toBe('unsigned');
  });

  it('should install a package signed by ssh-keygen in strict mode with the signer’s trust, and refuse it with one byte flipped, naming the file', async () => {
    const { key, publicLine } = await sshKeygen(dir);
    const signers = parseTrustStore(
      `carol@example.org namespaces="jovian-plugin" ${keyPart(publicLine)} trust=community\n`,
      'allowed_signers',
    );
    const folder = await plugin('1.0.0');
    await signWithSshKeygen(folder, key, { version: '1.0.0' });
    const packed = await packPlugin(folder, join(dir, 'dist'));
    const outcome = await installPlugin(packed.file, base({ mode: 'strict', signers }));
    expect(outcome.status).toBe('installed');
    expect(outcome.plan.trust).toBe('community');
    expect(outcome.plan.signature).toEqual({
      signer: 'carol@example.org',
      fingerprint: sshFingerprint(`${key}.pub`),
    });

    const extracted = join(dir, 'extracted');
    const { files } = await extractArchive(packed.file, extracted);
    expect(files.sort()).toEqual(['MANIFEST.json', 'index.js', 'lib/util.js', 'plugin.sig', 'plugin.yaml']);
    for (const file of files) {
      const tampered = join(dir, `tampered-${file.replace('/', '-')}`);
      await rm(tampered, { recursive: true, force: true });
      await mkdir(tampered);
      await extractArchive(packed.file, join(tampered, 'x'));
      const target = join(tampered, 'x', file);
      const bytes = await readFile(target);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] as number) ^ 1;
      await writeFile(target, bytes);
      const error = await rejection(
        installPlugin(join(tampered, 'x'), base({ mode: 'strict', signers, yes: true })),
      );
      expect(error.message).toContain(file);
      expect(error.message).toContain('strict mode');
    }
    expect(await versionOf()).toBe('1.0.0');
  });

  it('should hold an update that adds network_outbound until consent, showing only the diff', async () => {
    await installPlugin(
      await plugin('1.0.0', 'permissions:\n  fs_read: ["/srv/data"]\n'),
      base({ yes: true }),
    );
    const update = await plugin(
      '1.1.0',
      'permissions:\n  fs_read: ["/srv/data"]\n  network_outbound: ["api.example.com:443"]\n',
    );
    const signers: never[] = [];
    const held = await installPlugin(
      update,
      base({ signers, consent: async () => false, allowUnsignedLocal: true }),
    );
    expect(held.status).toBe('needs-consent');
    expect(held.plan.action).toBe('update');
    expect(held.plan.changes).toEqual([
      { permission: 'network_outbound', change: 'added', words: 'connect to api.example.com:443' },
    ]);
    expect(held.plan.consent).toContain('it may now connect to api.example.com:443 (added)');
    expect(await versionOf()).toBe('1.0.0');
    const applied = await installPlugin(update, base({ yes: true }));
    expect(applied.status).toBe('installed');
    expect(await versionOf()).toBe('1.1.0');
  });

  it('should refuse a downgrade unless allowed', async () => {
    await installPlugin(await plugin('2.0.0'), base({ yes: true }));
    const error = await rejection(installPlugin(await plugin('1.0.0'), base({ yes: true })));
    expect(error.code).toBe('JOVIAN_E_INSTALL_DOWNGRADE');
    expect(await versionOf()).toBe('2.0.0');
    await installPlugin(await plugin('1.0.0', '', 'older'), base({ yes: true, allowDowngrade: true }));
    expect(await versionOf()).toBe('1.0.0');
  });

  it('should put the previous version back when the new one fails its first start', async () => {
    await installPlugin(await plugin('1.0.0'), base({ yes: true }));
    const before = await installed();
    const error = await rejection(
      installPlugin(
        await plugin('1.1.0'),
        base({
          yes: true,
          check: async () => {
            throw new Error('activate() threw: boom');
          },
        }),
      ),
    );
    expect(error.code).toBe('JOVIAN_E_INSTALL_ROLLED_BACK');
    expect(error.message).toContain('boom');
    expect(error.message).toContain('version 1.0.0 is back in use');
    expect(await installed()).toEqual(before);
    expect(await readdir(join(pluginsDir, '.versions', 'hello'))).toHaveLength(1);
  });

  it('should keep jovian.lock in step: new entry on install, old one back after a failed start, none after uninstall', async () => {
    const lockFile = join(dir, 'data', 'jovian.lock');
    const lock = async () => JSON.parse(await readFile(lockFile, 'utf8')).plugins.hello;
    await installPlugin(
      await plugin('1.0.0', 'permissions:\n  fs_read: ["/srv"]\n'),
      base({ yes: true, lockFile }),
    );
    expect(await lock()).toMatchObject({
      version: '1.0.0',
      enabled: true,
      trust: 'unsigned',
      hash: expect.stringMatching(/^sha256:/),
    });
    expect((await lock()).permissions.fs_read).toEqual(['/srv']);
    const failing = base({
      yes: true,
      lockFile,
      check: async () => {
        expect((await lock()).version).toBe('1.1.0');
        throw new Error('boom');
      },
    });
    await rejection(installPlugin(await plugin('1.1.0'), failing));
    expect((await lock()).version).toBe('1.0.0');
    await new Installer(
      {
        dataDir: join(dir, 'data'),
        mode: 'permissive',
        allowUnsignedLocal: false,
        trustStore: join(dir, 'none'),
        lockFile,
      },
      {
        known: async () => new Map(),
        tryStart: async () => undefined,
        dependents: async () => [],
        disable: async () => undefined,
        removed: async () => undefined,
        audit: () => undefined,
      },
    ).uninstall('hello');
    expect(await lock()).toBeUndefined();
  });

  it('should keep the versions asked for, and no more', async () => {
    for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0'])
      await installPlugin(await plugin(v), base({ yes: true, keep: 2 }));
    const kept = (await readdir(join(pluginsDir, '.versions', 'hello'))).map((n) => n.split('_')[0]).sort();
    expect(kept).toEqual(['1.1.0', '1.2.0', '1.3.0']);
  });

  it('should refuse archives with ../evil, an absolute path or a link, writing nothing anywhere', async () => {
    const yaml = Buffer.from(
      'id: hello\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.js\n',
    );
    const bad = {
      dotdot: [
        { name: 'plugin.yaml', data: yaml },
        { name: '../evil', data: Buffer.from('x') },
      ],
      absolute: [
        { name: 'plugin.yaml', data: yaml },
        { name: '/tmp/evil-abs', data: Buffer.from('x') },
      ],
      link: [
        { name: 'plugin.yaml', data: yaml },
        { name: 'index.js', type: '2', linkname: '/etc/passwd' },
      ],
    };
    for (const [name, entries] of Object.entries(bad)) {
      const file = join(dir, `${name}.tgz`);
      await writeFile(file, craftTgz(entries));
      const error = await rejection(installPlugin(file, base({ yes: true })));
      expect(error.code).toMatch(/JOVIAN_E_PACKAGE_(BAD_PATH|LINK)/);
    }
    expect(await readdir(join(pluginsDir))).toEqual(['.staging']);
    expect(await readdir(join(pluginsDir, '.staging'))).toEqual([]);
    expect(await lstat(join(pluginsDir, '..', 'evil')).catch(() => null)).toBeNull();
    expect(await lstat(join(dir, 'data', 'evil')).catch(() => null)).toBeNull();
  });

  it('should refuse to replace a plugin folder it did not install', async () => {
    await mkdir(join(pluginsDir, 'hello'), { recursive: true });
    const error = await rejection(installPlugin(await plugin('1.0.0'), base({ yes: true })));
    expect(error.code).toBe('JOVIAN_E_INSTALL_CONFLICT');
  });
});

describe('the installer', () => {
  const log: string[] = [];
  const host = (known: Record<string, string> = {}, dependents: string[] = []): InstallerHost => ({
    known: async () => new Map(Object.entries(known)),
    tryStart: async () => undefined,
    dependents: async () => dependents,
    disable: async (id) => void log.push(`disable ${id}`),
    removed: async (id) => void log.push(`removed ${id}`),
    audit: (action, id) => void log.push(`${action} ${id}`),
  });
  const settings = (catalog?: string) => ({
    dataDir: join(dir, 'data'),
    mode: 'permissive' as const,
    allowUnsignedLocal: false,
    trustStore: join(dir, 'data', 'allowed_signers'),
    catalog,
  });

  /** Packs `id@version` into dist and writes a catalog listing every package packed so far. */
  const published: { id: string; version: string; url: string; sha256: string }[] = [];
  async function publish(id: string, version: string, extra = ''): Promise<string> {
    const folder = await writePlugin(join(dir, `pub-${id}-${version}`), id, version);
    if (extra)
      await writeFile(
        join(folder, 'plugin.yaml'),
        `${await readFile(join(folder, 'plugin.yaml'), 'utf8')}${extra}`,
      );
    const { file } = await packPlugin(folder, join(dir, 'dist'));
    published.push({
      id,
      version,
      url: file.split('/').pop() as string,
      sha256: createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    });
    const catalog = join(dir, 'dist', 'catalog.json');
    await writeFile(catalog, JSON.stringify({ plugins: published }));
    return catalog;
  }
  beforeEach(() => {
    log.length = 0;
    published.length = 0;
  });

  it('should install by catalog name, list updates and update to the newest', async () => {
    await publish('hello', '1.0.0');
    const catalog = await publish('hello', '1.2.0');
    const installer = new Installer(settings(catalog), host());
    const [first] = await installer.install('hello@1.0.0', { yes: true });
    expect(first?.status).toBe('installed');
    expect(first?.plan.source).toEqual({ kind: 'catalog', origin: 'hello@1.0.0' });
    expect(await installer.checkUpdates()).toEqual([
      expect.objectContaining({ id: 'hello', installed: '1.0.0', available: '1.2.0' }),
    ]);
    const updated = await installer.update('hello', { yes: true });
    expect(updated !== 'up-to-date' && updated[0]?.plan.version).toBe('1.2.0');
    expect(await installer.update('hello')).toBe('up-to-date');
    expect(log).toEqual(['plugin.install hello', 'plugin.install hello']);
  });

  it('should refuse a catalog package whose SHA-256 differs', async () => {
    const catalog = await publish('hello', '1.0.0');
    await writeFile(
      join(dir, 'dist', 'hello-1.0.0.tgz'),
      craftTgz([{ name: 'plugin.yaml', data: Buffer.from('x') }]),
    );
    const error = await rejection(new Installer(settings(catalog), host()).install('hello', { yes: true }));
    expect(error.code).toBe('JOVIAN_E_PACKAGE_HASH_MISMATCH');
  });

  it('should list missing dependencies, and install them from the catalog with --install-deps', async () => {
    await publish('base', '1.0.0');
    const catalog = await publish('hello', '1.0.0', 'dependencies:\n  - id: base\n    version: ^1.0.0\n');
    const installer = new Installer(settings(catalog), host());
    const error = await rejection(installer.install('hello', { yes: true }));
    expect(error.code).toBe('JOVIAN_E_INSTALL_DEPENDENCY_MISSING');
    expect(error.message).toContain('`base` ^1.0.0');
    const outcomes = await installer.install('hello', { yes: true, installDeps: true });
    expect(outcomes.map((o) => `${o.plan.id} ${o.status}`)).toEqual(['base installed', 'hello installed']);
  });

  it('should refuse to uninstall a plugin an enabled plugin requires, unless cascading', async () => {
    const installer = new Installer(settings(), host({}, ['reports']));
    await installer.install(await plugin('1.0.0'), { yes: true });
    const error = await rejection(installer.uninstall('hello'));
    expect(error.code).toBe('JOVIAN_E_UNINSTALL_REQUIRED');
    expect(error.message).toContain('`reports`');
    expect((await installed()).target).toBeDefined();
    const done = await installer.uninstall('hello', { cascade: true });
    expect(done).toEqual({ version: '1.0.0', disabled: ['reports'] });
    expect(await installed()).toEqual({ names: [], target: undefined });
    expect(await readdir(join(pluginsDir, '.versions'))).toEqual([]);
    expect(log).toContain('disable reports');
    expect(log).toContain('removed hello');
  });

  it('should roll back to the previous kept version', async () => {
    const installer = new Installer(settings(), host());
    await installer.install(await plugin('1.0.0'), { yes: true });
    await installer.install(await plugin('1.1.0'), { yes: true });
    expect(await installer.rollback('hello')).toEqual({ from: '1.1.0', to: '1.0.0' });
    expect(await versionOf()).toBe('1.0.0');
  });
});
