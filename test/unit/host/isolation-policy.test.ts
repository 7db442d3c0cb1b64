import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost, describePlugin, type PluginHost, SyncSeriesHook } from '../../../src/index.js';
import { DEFAULT_ISOLATION_POLICY, placePlugin, raisedNote } from '../../../src/security/index.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

describe('placePlugin', () => {
  const plugin = { id: 'p', declared: 'inprocess', trust: 'unsigned', legacy: false, syncHooks: [] } as const;

  it('should raise an unsigned plugin to its own process by default, and say so in the doctor', () => {
    expect(placePlugin(plugin, DEFAULT_ISOLATION_POLICY)).toEqual({ runtime: 'process' });
    expect(raisedNote('p', 'inprocess', 'process', 'unsigned')).toMatchObject({
      code: 'JOVIAN_E_ISOLATION_RAISED',
      severity: 'info',
      message:
        'plugin `p` runs in a `process`, not `inprocess` as declared: unsigned plugins run at least in a `process` (security.isolation.unsigned)',
      hint: expect.stringContaining('security.isolation.allow'),
    });
  });

  it('should keep a plugin that is isolated enough, or trusted enough, where it is', () => {
    expect(placePlugin({ ...plugin, declared: 'webhook' }, DEFAULT_ISOLATION_POLICY)).toEqual({
      runtime: 'webhook',
    });
    expect(placePlugin({ ...plugin, trust: 'official' }, DEFAULT_ISOLATION_POLICY)).toEqual({
      runtime: 'inprocess',
    });
    expect(
      placePlugin({ ...plugin, trust: 'community', declared: 'worker' }, DEFAULT_ISOLATION_POLICY),
    ).toEqual({ runtime: 'worker' });
    expect(placePlugin(plugin, { ...DEFAULT_ISOLATION_POLICY, allow: ['p'] })).toEqual({
      runtime: 'inprocess',
    });
  });

  it('should refuse what cannot leave the host process, naming the override', () => {
    expect(placePlugin({ ...plugin, legacy: true }, DEFAULT_ISOLATION_POLICY)).toMatchObject({
      refused: {
        code: 'JOVIAN_E_ISOLATION_REFUSED',
        message: expect.stringContaining('a legacy plugin runs inside the host'),
      },
    });
    expect(placePlugin({ ...plugin, syncHooks: ['tick'] }, DEFAULT_ISOLATION_POLICY)).toMatchObject({
      refused: {
        message: expect.stringContaining('synchronous hook `tick`'),
        hint: expect.stringContaining('`p` to security.isolation.allow'),
      },
    });
  });
});

describe('the isolation policy in a host', () => {
  let fixture: Fixture;
  let host: PluginHost | undefined;
  const marker = () => join(fixture.root, 'legacy-imported.txt');

  beforeEach(async () => {
    fixture = await createFixture();
    await fixture.add('plain', { code: 'export default { run: () => ({ pid: process.pid }) };' });
    await fixture.add('ticker', { manifest: { contributes: { hooks: ['tick'] } } });
    const legacy = join(fixture.pluginsDir, 'oldie');
    await mkdir(legacy);
    await writeFile(
      join(legacy, 'index.mjs'),
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(marker())}, 'x');\nexport const plugin = { meta: { id: 'oldie', name: 'Oldie', version: '1.0.0' }, run: () => 'old' };\n`,
    );
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await fixture.cleanup();
  });

  const start = async (options: Parameters<typeof createHost>[0] = {}) => {
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      hooks: { tick: new SyncSeriesHook<[]>({ name: 'tick' }) },
      ...options,
    });
    await host.start();
    return host;
  };

  it('should run unsigned plugins in their own process by default, refuse legacy ones without importing them', async () => {
    const h = await start();
    expect(describePlugin(h.record('plain')!)).toMatchObject({
      runtime: 'process',
      declaredRuntime: 'inprocess',
      trust: 'unsigned',
    });
    expect(((await h.run('plain', {})) as { pid: number }).pid).not.toBe(process.pid);
    expect(h.record('oldie')).toMatchObject({ state: 'error', reasonCode: 'JOVIAN_E_ISOLATION_REFUSED' });
    expect(h.record('ticker')).toMatchObject({ state: 'error', reasonCode: 'JOVIAN_E_ISOLATION_REFUSED' });
    await expect(readFile(marker())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('should follow the operator: jovian.yaml floors and allow list win over the application', async () => {
    await mkdir(fixture.dataDir, { recursive: true });
    await writeFile(
      join(fixture.dataDir, 'jovian.yaml'),
      'security:\n  isolation:\n    unsigned: worker\n    allow: [oldie, ticker]\n',
    );
    const h = await start({ isolation: { floor: { unsigned: 'process' } } });
    expect(describePlugin(h.record('plain')!)).toMatchObject({
      runtime: 'worker',
      declaredRuntime: 'inprocess',
    });
    expect(h.record('ticker')?.state).toBe('ready');
    expect(await h.run('oldie', {})).toBe('old');
    expect(await readFile(marker(), 'utf8')).toBe('x');
  });

  it('should refuse an unknown floor in jovian.yaml with the file position', async () => {
    await mkdir(fixture.dataDir, { recursive: true });
    await writeFile(join(fixture.dataDir, 'jovian.yaml'), 'security:\n  isolation:\n    unsigned: nowhere\n');
    await expect(start()).rejects.toMatchObject({
      code: 'JOVIAN_E_CONFIG_INVALID',
      message: expect.stringContaining('security.isolation.unsigned'),
      where: { file: join(fixture.dataDir, 'jovian.yaml'), line: 3 },
    });
  });
});
