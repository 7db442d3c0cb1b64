/**
 * `jovian plugins install|update|check-updates|uninstall|rollback` as an operator types them, over a
 * fresh data directory and a catalog served over HTTP: what is printed, the exit codes, and what is on
 * disk afterwards.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePlugin } from '../unit/packaging/ssh-fixtures.js';
import { jovian } from './cli-helpers.js';

let dir: string;
let dataDir: string;
let server: Server;
let catalogUrl: string;
const dist = () => join(dir, 'dist');

/** Packs `weather@version` (plugin.yaml extra lines appended) into dist; returns the package path. */
async function publish(version: string, extra = ''): Promise<string> {
  const folder = await writePlugin(join(dir, `weather-${version}`), 'weather', version);
  await writeFile(
    join(folder, 'plugin.yaml'),
    `${await readFile(join(folder, 'plugin.yaml'), 'utf8')}${extra}`,
  );
  const packed = await jovian(['plugins', 'pack', folder, '--out', dist(), '--json']);
  expect(packed.code, packed.stderr).toBe(0);
  return packed.json<{ file: string }>().file;
}

const cli = (...args: string[]) => jovian(['--data-dir', dataDir, ...args]);
const installedVersions = async () =>
  (await readdir(join(dataDir, 'plugins', '.versions', 'weather'))).map((n) => n.split('_')[0]).sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jovian-install-cli-'));
  dataDir = join(dir, 'data');
  await publish('1.0.0');
  await publish('1.1.0', 'permissions:\n  network_outbound: ["api.example.com:443"]\n');
  const entries: { id: string; version: string; url: string; sha256: string }[] = [];
  for (const version of ['1.0.0', '1.1.0']) {
    const name = `weather-${version}.tgz`;
    const sha256 = createHash('sha256')
      .update(await readFile(join(dist(), name)))
      .digest('hex');
    entries.push({ id: 'weather', version, url: `packages/${name}`, sha256 });
  }
  // A static catalog server: /catalog.json and /packages/<file>.
  server = createServer(async (request, response) => {
    const url = request.url ?? '/';
    if (url === '/catalog.json') return response.end(JSON.stringify({ plugins: entries }));
    const file = url.startsWith('/packages/') ? url.slice('/packages/'.length) : '';
    const bytes = file ? await readFile(join(dist(), file)).catch(() => undefined) : undefined;
    if (!bytes) {
      response.statusCode = 404;
      return response.end();
    }
    response.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  catalogUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog.json`;
}, 60_000);
afterAll(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('installing from the command line', () => {
  it('should show the plan and change nothing with --dry-run', async () => {
    const result = await cli('plugins', 'install', join(dist(), 'weather-1.0.0.tgz'), '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('weather 1.0.0 (new install)');
    expect(result.stdout).toContain('trust     unsigned');
    expect(result.stdout).toContain('dry run: nothing was changed');
    expect(await readdir(join(dataDir, 'plugins')).catch(() => [])).not.toContain('weather');
  });

  it('should refuse an unsigned package without consent, saying why and how to accept', async () => {
    const result = await cli('plugins', 'install', join(dist(), 'weather-1.0.0.tgz'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('! the package is unsigned');
    expect(result.stderr).toContain('JOVIAN_E_INSTALL_CONSENT_REQUIRED');
    expect(result.stderr).toContain('--yes');
  });

  it('should install from the catalog over HTTP by name and version', async () => {
    const result = await cli('plugins', 'install', 'weather@1.0.0', '--catalog', catalogUrl, '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('from weather@1.0.0');
    expect(result.stdout).toMatch(/installed → .*\.versions\/weather\/1\.0\.0_/);
    const list = await cli('plugins', 'list', '--json');
    expect(list.json<{ plugins: { id: string; version: string }[] }>().plugins).toContainEqual(
      expect.objectContaining({ id: 'weather', version: '1.0.0' }),
    );
  });

  it('should list the update, hold it for consent showing only the permission diff, then apply it with --yes', async () => {
    const check = await cli('plugins', 'check-updates', '--catalog', catalogUrl);
    expect(check.stdout).toContain('weather  1.0.0 → 1.1.0');
    const held = await cli('plugins', 'update', 'weather', '--catalog', catalogUrl);
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('weather 1.1.0 (update from 1.0.0)');
    expect(held.stdout).toContain('+ connect to api.example.com:443 (network_outbound added)');
    expect(held.stdout).not.toContain('  may ');
    expect(held.stderr).toContain('JOVIAN_E_INSTALL_CONSENT_REQUIRED');
    expect(await installedVersions()).toEqual(['1.0.0']);
    const applied = await cli('plugins', 'update', 'weather', '--catalog', catalogUrl, '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    expect(await installedVersions()).toEqual(['1.0.0', '1.1.0']);
    const again = await cli('plugins', 'update', 'weather', '--catalog', catalogUrl);
    expect(again.stdout).toContain('weather is up to date');
    const lock = JSON.parse(await readFile(join(dataDir, 'jovian.lock'), 'utf8'));
    expect(lock.plugins.weather).toMatchObject({
      version: '1.1.0',
      permissions: { network_outbound: ['api.example.com:443'] },
    });
  });

  it('should refuse a downgrade, then roll back on request', async () => {
    const down = await cli('plugins', 'install', join(dist(), 'weather-1.0.0.tgz'), '--yes');
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('JOVIAN_E_INSTALL_DOWNGRADE');
    expect(down.stderr).toContain('--allow-downgrade');
    const back = await cli('plugins', 'rollback', 'weather');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('weather: 1.1.0 → 1.0.0');
  });

  it('should uninstall, leaving no folder, no lock entry, and the audit trail', async () => {
    const result = await cli('plugins', 'uninstall', 'weather');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('uninstalled weather 1.0.0');
    expect((await readdir(join(dataDir, 'plugins'))).filter((n) => !n.startsWith('.'))).toEqual([]);
    const lock = JSON.parse(await readFile(join(dataDir, 'jovian.lock'), 'utf8'));
    expect(lock.plugins.weather).toBeUndefined();
    const audit = await cli('audit', 'list', '--json');
    const actions = audit
      .json<{ records: { action: string; plugin: string }[] }>()
      .records.filter((r) => r.plugin === 'weather')
      .map((r) => r.action);
    expect(actions).toContain('plugin.install');
    expect(actions).toContain('plugin.uninstall');
    const missing = await cli('plugins', 'uninstall', 'weather');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('JOVIAN_E_PLUGIN_NOT_INSTALLED');
  });
});
