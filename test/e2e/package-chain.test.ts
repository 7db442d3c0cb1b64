/**
 * The whole life of a plugin, as its author and an operator live it, for every runtime: scaffold →
 * its own tests → pack → sign (with `jovian plugins sign`, or with the stock `ssh-keygen -Y sign`) →
 * install into a fresh data directory in strict mode → `jovian serve` runs it with its signer's trust.
 * And a package with one byte changed is refused, naming the file.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPart, sshKeygen } from '../unit/packaging/ssh-fixtures.js';
import { jovian } from './cli-helpers.js';
import { apiGet, nodeTest, projectWithJovian } from './plugin-project.js';
import { type ServeProcess, startServe } from './serve-process.js';

const RUNTIMES = ['inprocess', 'worker', 'process', 'lua'] as const;
type Runtime = (typeof RUNTIMES)[number];
const idOf = (runtime: Runtime) => `chain_${runtime}`;
/** Half the packages are signed by Jovian, half by the stock OpenSSH tool. */
const signedBySshKeygen = (runtime: Runtime) => runtime === 'process' || runtime === 'lua';

let root: string;
let dataDir: string;
let key: string;
let serve: ServeProcess | undefined;
const packages: Partial<Record<Runtime, string>> = {};

const api = <T>(path: string) => apiGet<T>(serve!, path);

beforeAll(async () => {
  root = await projectWithJovian('jovian-chain-');
  ({ key } = await sshKeygen(root, 'publisher'));
  const publicLine = (await readFile(`${key}.pub`, 'utf8')).trim();
  // A fresh data directory in strict mode that trusts the publisher as `verified`.
  dataDir = join(root, 'data');
  await mkdir(dataDir);
  await writeFile(join(dataDir, 'jovian.yaml'), 'security:\n  mode: strict\n');
  await writeFile(
    join(dataDir, 'allowed_signers'),
    `publisher@example.org namespaces="jovian-plugin" ${keyPart(publicLine)} trust=verified\n`,
  );
}, 30_000);
afterAll(async () => {
  await serve?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('scaffold → test → pack → sign → install → serve', () => {
  it.each(RUNTIMES)(
    'should make, test, pack and sign a %s plugin',
    async (runtime) => {
      const id = idOf(runtime);
      const folder = join(root, 'src', id);
      const made = await jovian(['plugins', 'scaffold', id, '--runtime', runtime, '--dir', folder], {
        cwd: root,
      });
      expect(made.code, made.stderr).toBe(0);
      const tested = await nodeTest(folder);
      expect(tested.code, tested.output).toBe(0);

      const dist = join(root, 'dist');
      const packed = await jovian(['plugins', 'pack', folder, '--out', dist, '--json']);
      expect(packed.code, packed.stderr).toBe(0);
      const file = packed.json<{ file: string }>().file;
      if (signedBySshKeygen(runtime)) {
        // The stock tool signs MANIFEST.json; packing again puts plugin.sig in the package.
        const manifest = join(folder, 'MANIFEST.json');
        execFileSync('ssh-keygen', ['-Y', 'sign', '-n', 'jovian-plugin', '-f', key, manifest], {
          stdio: 'ignore',
        });
        await rename(`${manifest}.sig`, join(folder, 'plugin.sig'));
        const again = await jovian(['plugins', 'pack', folder, '--out', dist]);
        expect(again.code, again.stderr).toBe(0);
      } else {
        const signed = await jovian(['plugins', 'sign', file, '--key', key]);
        expect(signed.code, signed.stderr).toBe(0);
      }
      packages[runtime] = file;
    },
    60_000,
  );

  it.each(RUNTIMES)(
    'should install the %s package in strict mode with the signer’s trust',
    async (runtime) => {
      const installed = await jovian([
        '--data-dir',
        dataDir,
        'plugins',
        'install',
        packages[runtime] as string,
        '--json',
      ]);
      expect(installed.code, installed.stdout + installed.stderr).toBe(0);
      const [outcome] =
        installed.json<{ status: string; id: string; trust: string; signature: { signer: string } }[]>();
      expect(outcome).toMatchObject({
        status: 'installed',
        id: idOf(runtime),
        trust: 'verified',
        signature: { signer: 'publisher@example.org' },
      });
    },
    60_000,
  );

  it('should refuse, in strict mode, a signed plugin with one byte changed, naming the file', async () => {
    const copy = join(root, 'tampered');
    // Signed in its folder by ssh-keygen: it holds MANIFEST.json and plugin.sig.
    await cp(join(root, 'src', idOf('process')), copy, { recursive: true });
    const entry = join(copy, 'index.js');
    const bytes = await readFile(entry);
    bytes[10] = (bytes[10] as number) ^ 1;
    await writeFile(entry, bytes);
    const refused = await jovian(['--data-dir', dataDir, 'plugins', 'install', copy, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('index.js');
    expect(refused.stderr).toContain('strict mode');
  });

  describe('under jovian serve over the data directory', () => {
    beforeAll(async () => {
      serve = await startServe(['--data-dir', dataDir]);
    }, 60_000);

    it.each(RUNTIMES.filter((r) => r !== 'lua'))('should answer the %s plugin’s route', async (runtime) => {
      const id = idOf(runtime);
      const hello = await api<{ message: string }>(`/api/x/${id}/hello?name=Ada`);
      expect(hello.message).toBe(`hello Ada, from ${id}`);
    });

    it.each(RUNTIMES)('should show the %s plugin as verified, signed by the publisher', async (runtime) => {
      const info = await api<{
        state: string;
        trust: string;
        runtime: string;
        signature: { signer: string } | null;
      }>(`/api/plugins/${idOf(runtime)}`);
      expect(info.state).not.toBe('error');
      expect(info.trust).toBe('verified');
      expect(info.signature?.signer).toBe('publisher@example.org');
      // A verified plugin runs where its manifest says.
      expect(info.runtime).toBe(runtime);
    });
  });
});
