/**
 * jovian.lock through the real command line: written, verified, drift refused by the host and named,
 * `--update` and `--update-lock` accepting a change, enable/disable recorded, a broken lock explained.
 */
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PluginSummary } from '../../src/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { jovian } from './cli-helpers.js';

interface LockJson {
  lockfile_version: number;
  plugins: Record<string, { version: string; hash: string; enabled: boolean; permissions: unknown }>;
}

interface VerifyJson {
  ok: boolean;
  file: string;
  locked: number;
  problems: { id: string; kind: string; code: string; message: string }[];
}

const RUNNABLE = 'export default { activate() {}, run() { return "ran"; } };\n';

describe('jovian.lock (command line)', () => {
  let fixture: Fixture;
  let base: string[];
  let lockFile: string;

  const lockJson = async (): Promise<LockJson> => JSON.parse(await readFile(lockFile, 'utf8')) as LockJson;
  const stateOf = async (id: string, extra: string[] = []): Promise<PluginSummary | undefined> => {
    const result = await jovian([...base, ...extra, 'plugins', 'list', '--json']);
    return result.json<{ plugins: PluginSummary[] }>().plugins.find((p) => p.id === id);
  };

  beforeEach(async () => {
    fixture = await createFixture();
    base = ['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir];
    lockFile = join(fixture.dataDir, 'jovian.lock');
    await fixture.add('hello', { code: RUNNABLE });
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  it('should write the lock in the data directory and verify it', async () => {
    await fixture.add('net', { manifest: { permissions: { network_outbound: ['api.example.com'] } } });
    const written = await jovian([...base, 'plugins', 'lock']);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`wrote ${lockFile} (2 plugins)`);
    const lock = await lockJson();
    expect(lock.lockfile_version).toBe(1);
    expect(Object.keys(lock.plugins)).toEqual(['hello', 'net']);
    expect(lock.plugins.net).toMatchObject({
      version: '1.0.0',
      enabled: true,
      permissions: {
        fs_read: false,
        fs_write: false,
        network_outbound: ['api.example.com'],
        run_commands: false,
      },
    });
    expect(lock.plugins.net!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);

    const verified = await jovian([...base, 'plugins', 'lock', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('jovian.lock matches 2 plugins');
    const run = await jovian([...base, 'run', 'hello']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('"ran"');
  });

  it('should refuse a locked plugin whose file was edited, name it in verify, and accept it after --update', async () => {
    await jovian([...base, 'plugins', 'lock']);
    await appendFile(join(fixture.pluginsDir, 'hello', 'index.mjs'), '// edited\n');

    const hello = await stateOf('hello');
    expect(hello?.state).toBe('blocked');
    expect(hello?.reasonCode).toBe('JOVIAN_E_LOCK_DRIFT');
    expect(hello?.reason).toContain('content changed');
    const run = await jovian([...base, 'run', 'hello']);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('content changed');

    const verify = await jovian([...base, 'plugins', 'lock', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('plugin `hello` differs from jovian.lock: content changed');
    expect(verify.stdout).toContain('jovian plugins lock --update hello');
    const json = (await jovian([...base, 'plugins', 'lock', 'verify', '--json'])).json<VerifyJson>();
    expect(json.ok).toBe(false);
    expect(json.problems).toEqual([
      {
        id: 'hello',
        kind: 'changed',
        code: 'JOVIAN_E_LOCK_DRIFT',
        message: 'plugin `hello` differs from jovian.lock: content changed',
        drifts: [{ kind: 'content', message: 'content changed' }],
      },
    ]);

    const update = await jovian([...base, 'plugins', 'lock', '--update', 'hello']);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('updated hello: content changed');
    expect((await jovian([...base, 'plugins', 'lock', 'verify'])).code).toBe(0);
    expect((await stateOf('hello'))?.state).toBe('resolved');
  });

  it('should refuse a plugin given a new permission in plugin.yaml, naming the permission and the version', async () => {
    await jovian([...base, 'plugins', 'lock']);
    const manifest = join(fixture.pluginsDir, 'hello', 'plugin.yaml');
    const yaml = (await readFile(manifest, 'utf8')).replace('version: 1.0.0', 'version: 1.1.0');
    await writeFile(manifest, `${yaml}permissions:\n  network_outbound: true\n`);

    const hello = await stateOf('hello');
    expect(hello?.state).toBe('blocked');
    expect(hello?.reason).toContain('version 1.0.0 → 1.1.0');
    expect(hello?.reason).toContain('permission network_outbound added');
    const verify = await jovian([...base, 'plugins', 'lock', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('permission network_outbound added');
  });

  it('should rewrite the entries of changed plugins when started with --update-lock', async () => {
    await jovian([...base, 'plugins', 'lock']);
    const before = (await lockJson()).plugins.hello!.hash;
    await appendFile(join(fixture.pluginsDir, 'hello', 'index.mjs'), '// edited\n');
    const run = await jovian([...base, '--update-lock', 'run', 'hello']);
    expect(run.code).toBe(0);
    expect((await lockJson()).plugins.hello!.hash).not.toBe(before);
    expect((await jovian([...base, 'plugins', 'lock', 'verify'])).code).toBe(0);
  });

  it('should warn about a plugin the lock does not list and fail verify for it and for a plugin that is gone', async () => {
    await fixture.add('gone');
    await jovian([...base, 'plugins', 'lock']);
    await rm(join(fixture.pluginsDir, 'gone'), { recursive: true });
    await fixture.add('newcomer');

    expect((await stateOf('newcomer'))?.state).toBe('resolved');
    const doctor = await jovian([...base, 'plugins', 'doctor']);
    expect(doctor.stdout).toContain('plugin `newcomer` is not listed in jovian.lock');
    expect(doctor.stdout).toContain('jovian.lock lists `gone`, which is not in any plugins directory');

    const json = (await jovian([...base, 'plugins', 'lock', 'verify', '--json'])).json<VerifyJson>();
    expect(json.ok).toBe(false);
    expect(json.problems.map((p) => `${p.id}:${p.kind}:${p.code}`)).toEqual([
      'newcomer:unlisted:JOVIAN_E_LOCK_UNLISTED',
      'gone:gone:JOVIAN_E_LOCK_PLUGIN_GONE',
    ]);
    const update = await jovian([...base, 'plugins', 'lock', '--update', 'newcomer', 'gone']);
    expect(update.code).toBe(0);
    expect(Object.keys((await lockJson()).plugins)).toEqual(['hello', 'newcomer']);
    expect((await jovian([...base, 'plugins', 'lock', 'verify'])).code).toBe(0);
  });

  it('should record enable and disable in the lock, and fail verify when the flag differs', async () => {
    await jovian([...base, 'plugins', 'lock']);
    expect((await jovian([...base, 'plugins', 'disable', 'hello'])).code).toBe(0);
    expect((await lockJson()).plugins.hello!.enabled).toBe(false);
    expect((await jovian([...base, 'plugins', 'lock', 'verify'])).code).toBe(0);

    // jovian.yaml edited by hand: the host warns, verify fails.
    await writeFile(join(fixture.dataDir, 'jovian.yaml'), 'plugins:\n  hello:\n    enabled: true\n');
    expect((await stateOf('hello'))?.state).toBe('resolved');
    const verify = await jovian([...base, 'plugins', 'lock', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('enabled, but the lock says disabled');
    expect(verify.stdout).toContain('JOVIAN_E_LOCK_ENABLED_MISMATCH');
  });

  it('should explain a lock that does not parse, with its file, place and hint, and not start the host', async () => {
    await mkdir(fixture.dataDir, { recursive: true });
    await writeFile(lockFile, '{\n  "lockfile_version": 1,\n  "plugins": {\n');
    const verify = await jovian([...base, 'plugins', 'lock', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`${lockFile}:4:1`);
    expect(verify.stderr).toContain('JOVIAN_E_LOCK_INVALID');
    expect(verify.stderr).toContain('hint: Fix the file at the place shown, or delete it');
    const run = await jovian([...base, 'run', 'hello']);
    expect(run.code).toBe(1);
    expect(run.json<{ code: string }>().code).toBe('JOVIAN_E_LOCK_INVALID');

    await writeFile(lockFile, JSON.stringify({ lockfile_version: 9, plugins: {} }));
    const future = await jovian([...base, 'plugins', 'lock', 'verify', '--json']);
    expect(future.code).toBe(1);
    expect(future.json<{ code: string; error: string }>()).toMatchObject({
      code: 'JOVIAN_E_LOCK_VERSION_UNSUPPORTED',
      error: `${lockFile} has lockfile_version 9; this version of Jovian reads version 1`,
    });
  });

  it('should keep the lock next to the project file, and lock a single-file Lua plugin by its file', async () => {
    const project = join(fixture.root, 'site.jovian.yaml');
    await writeFile(project, 'name: site\n');
    const lua = join(fixture.pluginsDir, 'greeter.lua');
    await writeFile(lua, '-- @id greeter\n-- @version 1.0.0\n\nfunction on_startup() end\n');
    const withProject = [...base, '--project', project];
    const written = await jovian([...withProject, 'plugins', 'lock']);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(join(fixture.root, 'jovian.lock'));
    expect((await jovian([...withProject, 'plugins', 'lock', 'verify'])).code).toBe(0);
    expect((await jovian([...base, 'plugins', 'lock', 'verify'])).code).toBe(1); // no lock in the data dir

    await appendFile(lua, '-- edited\n');
    const greeter = await stateOf('greeter', ['--project', project]);
    expect(greeter?.state).toBe('blocked');
    expect(greeter?.reason).toContain('content changed');
  });
});
