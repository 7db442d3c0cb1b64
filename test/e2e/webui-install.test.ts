/**
 * Installing from the WebUI, in a real Chromium against a real `jovian serve`: a package file is
 * chosen, its plan is shown (trust, permissions, why consent is needed) and nothing changes until
 * "Install"; then the plugin is in the list and answers its route. "Check for updates" offers the new
 * version, whose plan highlights the permission it adds, and "Accept and update" applies it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, RESULTS } from './chromium.js';
import { type Publisher, publisher } from './package-fixtures.js';
import { type ServeProcess, startServe } from './serve-process.js';

describe('WebUI installs and updates', () => {
  let root: string;
  let dataDir: string;
  let publish: Publisher;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  const hello = async (id: string) => {
    const response = await fetch(`${serve.base}/api/x/${id}/hello`, {
      headers: { authorization: `Bearer ${serve.token}` },
    });
    return response.ok ? ((await response.json()) as { version: string }).version : response.status;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'jovian-e2e-webui-install-'));
    dataDir = join(root, 'data');
    publish = await publisher(root, dataDir);
    await mkdir(join(root, 'plugins'), { recursive: true });
    serve = await startServe(['--data-dir', dataDir, '--plugins-dir', join(root, 'plugins')]);
    ({ browser, page } = await openPage(1100));
    await page.goto(serve.loginUrl);
    await page.getByRole('heading', { name: 'Plugins', level: 1 }).waitFor();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('should show the plan of a chosen package file, and install it only once consent is given', async () => {
    const file = await publish.pack({
      id: 'postman',
      version: '1.0.0',
      unsigned: true,
      permissions: { network_outbound: ['mail.example.org'] },
    });
    const panel = page.getByRole('region', { name: 'Install a plugin' });
    await panel.getByLabel('Package file (.tgz, .zip)').setInputFiles(file);
    await panel.getByRole('button', { name: 'Review' }).click();

    const plan = panel.locator('[data-plan="postman"]');
    await plan.waitFor();
    expect(await plan.textContent()).toContain('New install of version 1.0.0');
    expect(await plan.locator('.trust').textContent()).toBe('unsigned');
    expect(await plan.getByRole('note').first().textContent()).toContain('Not signed');
    expect(await plan.locator('ul.permissions li').allTextContents()).toEqual([
      'connect to mail.example.org',
    ]);
    await page.screenshot({ path: join(RESULTS, 'webui-install-plan.png'), fullPage: true });
    expect(await hello('postman')).toBe(404);

    await panel.getByRole('button', { name: 'Install', exact: true }).click();
    await panel.getByRole('status').getByText('postman 1.0.0 is installed and running.').waitFor();
    await page.locator('tr[data-plugin="postman"]').waitFor();
    expect(await hello('postman')).toBe('1.0.0');
  }, 60_000);

  it('should offer an update and show the permission it adds, highlighted, before applying it', async () => {
    const file = await publish.pack({
      id: 'postman',
      version: '1.1.0',
      unsigned: true,
      permissions: { network_outbound: ['mail.example.org', 'api.example.org'] },
    });
    const catalog = await publish.catalog([{ id: 'postman', version: '1.1.0', file }]);
    await writeFile(join(dataDir, 'jovian.yaml'), `packages:\n  catalog: ${catalog}\n`);

    const updates = page.getByRole('region', { name: 'Updates' });
    await updates.getByRole('button', { name: 'Check for updates' }).click();
    await updates.getByRole('button', { name: 'Update to 1.1.0' }).click();
    const plan = updates.locator('[data-plan="postman"]');
    await plan.waitFor();
    expect(await plan.textContent()).toContain('Update from 1.0.0 to 1.1.0');
    const wider = plan.locator('.permission-changes li.wider');
    expect(await wider.count()).toBe(1);
    expect(await wider.textContent()).toBe('wider: connect to api.example.org');
    await page.screenshot({ path: join(RESULTS, 'webui-update-diff.png'), fullPage: true });
    expect(await hello('postman')).toBe('1.0.0');

    await updates.getByRole('button', { name: 'Accept and update' }).click();
    await plan.waitFor({ state: 'detached' });
    expect(await hello('postman')).toBe('1.1.0');
    const row = page.locator('tr[data-plugin="postman"]');
    await row.getByText('1.1.0').waitFor();
    await row.getByRole('button', { name: 'Roll back postman' }).waitFor();
  }, 60_000);

  it('should uninstall after confirmation, the row leaving the list', async () => {
    const row = page.locator('tr[data-plugin="postman"]');
    await row.getByRole('button', { name: 'Uninstall postman' }).click();
    await row.getByText('Uninstall postman? Its files are removed').waitFor();
    await row.getByRole('button', { name: 'Uninstall', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    expect(await hello('postman')).toBe(404);
  }, 60_000);
});
