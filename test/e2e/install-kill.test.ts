/**
 * Kills `jovian plugins install` with SIGKILL at random moments, 50 times, switching a plugin between
 * two versions: after every kill the plugin's folder is one version or the other, complete (exactly
 * the files of its MANIFEST.json, with their hashes) — never a mix, never a half-written folder — and
 * the next install goes through (a lock left by the killed process is taken over, leftovers removed).
 * The delays come from a seeded generator; the seed is in every failure message.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPlugin } from '../../src/packaging/index.js';
import { checkPackageFiles, parseManifestBytes } from '../../src/security/index.js';
import { writePlugin } from '../unit/packaging/ssh-fixtures.js';
import { jovian, ROOT } from './cli-helpers.js';

const TRIALS = 50;
let dir: string;
let dataDir: string;
const packages: Record<string, string> = {};

/** A plugin `hello@version` with enough files that extraction takes a while. */
async function bigPlugin(version: string): Promise<string> {
  const folder = await writePlugin(join(dir, `src-${version}`), 'hello', version);
  for (let i = 0; i < 300; i++)
    await writeFile(
      join(folder, 'lib', `part-${i}.js`),
      `export const v = '${version}-${i}';\n${'//'.repeat(400)}\n`,
    );
  return folder;
}

/** Mulberry32: small seeded generator, so that a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const installArgs = (version: string) => [
  '--data-dir',
  dataDir,
  'plugins',
  'install',
  packages[version] as string,
  '--yes',
  '--allow-downgrade',
];

/** Runs an install and kills it after `delayMs` (it may have finished by then). */
function installKilledAfter(version: string, delayMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'jovian.js'), ...installArgs(version)], {
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1', JOVIAN_DATA_DIR: undefined, JOVIAN_PLUGINS_DIR: undefined },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('error', fail);
    child.on('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

/** The installed version, after checking its folder holds exactly its MANIFEST.json's files. */
async function completeVersion(): Promise<string> {
  const plugins = join(dataDir, 'plugins');
  const folder = resolve(plugins, await readlink(join(plugins, 'hello')));
  const manifest = parseManifestBytes(await readFile(join(folder, 'MANIFEST.json')), folder);
  await checkPackageFiles(folder, manifest, true);
  return manifest.version;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jovian-kill-'));
  dataDir = join(dir, 'data');
  for (const version of ['1.0.0', '2.0.0'])
    packages[version] = (await packPlugin(await bigPlugin(version), join(dir, 'dist'))).file;
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an install killed at any moment', () => {
  it(`should leave the old or the new version, complete, in ${TRIALS} SIGKILL trials`, async () => {
    const first = await jovian(installArgs('1.0.0'));
    expect(first.stderr).toBe('');
    // How long a whole install takes here: kills are spread over that span (and a little past it).
    const started = performance.now();
    const timed = await jovian(installArgs('2.0.0'));
    expect(timed.code).toBe(0);
    const span = performance.now() - started;
    const seed = Date.now() % 2 ** 31;
    const random = seeded(seed);
    const seen = { old: 0, new: 0 };
    let installed = '2.0.0';
    for (let trial = 0; trial < TRIALS; trial++) {
      const target = installed === '1.0.0' ? '2.0.0' : '1.0.0';
      const delay = Math.round(random() * span * 1.1);
      await installKilledAfter(target, delay);
      const context = `seed ${seed}, trial ${trial}, killed after ${delay} ms installing ${target} over ${installed}`;
      const version = await completeVersion().catch((error: Error) => {
        throw new Error(`${context}: ${error.message}`);
      });
      expect([installed, target], context).toContain(version);
      if (version === target) seen.new++;
      else seen.old++;
      installed = version;
    }
    // Both outcomes happened: the kills did land before and after the switch.
    expect(seen.old, `seed ${seed}`).toBeGreaterThan(0);
    expect(seen.new, `seed ${seed}`).toBeGreaterThan(0);

    const after = await jovian(installArgs(installed === '1.0.0' ? '2.0.0' : '1.0.0'));
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    const leftovers = (await readdir(join(dataDir, 'plugins'))).filter(
      (n) => n !== 'hello' && n !== '.versions' && n !== '.staging',
    );
    expect(leftovers).toEqual([]);
    expect(await readdir(join(dataDir, 'plugins', '.staging'))).toEqual([]);
  }, 600_000);
});
