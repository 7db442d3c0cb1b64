/**
 * The trust badge and the signature in a browser: a host in strict mode that allows unsigned local
 * plugins serves an `official`-signed plugin, a `community`-signed one and an unsigned one.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { signFolder, type TrustedKey, trustedKey, writeTrustStore } from '../helpers/signed-plugins.js';
import { openPage, RESULTS } from './chromium.js';
import { type ServeProcess, startServe } from './serve-process.js';

describe('WebUI trust badges', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let official: TrustedKey;

  beforeAll(async () => {
    fixture = await createFixture();
    await mkdir(fixture.dataDir, { recursive: true });
    official = await trustedKey(fixture.root, 'team@example.org', 'official');
    const community = await trustedKey(fixture.root, 'bob@example.org', 'community');
    await writeTrustStore(fixture.dataDir, [official, community]);
    await writeFile(
      join(fixture.dataDir, 'jovian.yaml'),
      'security:\n  mode: strict\n  allow_unsigned_local_plugins: true\n',
    );
    await signFolder(await fixture.add('by_team'), official);
    await signFolder(await fixture.add('by_bob'), community);
    await fixture.add('local');
    serve = await startServe(['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir]);
    ({ browser, page } = await openPage(800));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fixture?.cleanup();
  });

  const badge = (name: string) =>
    page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name, exact: true }) })
      .locator('.badge.trust');
  /** The badge's colour as the browser computes it (the test files are compiled without the DOM types). */
  const colour = (name: string) =>
    badge(name).evaluate(
      (element) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(
          element,
        ).color,
    );

  it('should show each plugin’s trust as a coloured badge, "dev / unsigned" for an allowed unsigned one', async () => {
    await page.goto(serve.loginUrl);
    await page.getByRole('heading', { name: 'Plugins' }).waitFor();
    await badge('by_team').getByText('official', { exact: true }).waitFor();
    await badge('by_bob').getByText('community', { exact: true }).waitFor();
    await badge('local').getByText('dev / unsigned', { exact: true }).waitFor();
    const colours = [await colour('by_team'), await colour('by_bob'), await colour('local')];
    expect(new Set(colours).size).toBe(3);
    await page.screenshot({ path: join(RESULTS, 'webui-trust.png'), fullPage: true });
  });

  it('should show who signed a plugin, when, and the key’s fingerprint in its details', async () => {
    await page.getByRole('link', { name: 'by_team', exact: true }).click();
    await page.getByRole('heading', { name: 'by_team', level: 1 }).waitFor();
    await page.getByText(/^signed by team@example\.org on /).waitFor();
    await page.getByText(official.fingerprint, { exact: true }).waitFor();
    await page.goBack();
    await page.getByRole('link', { name: 'local', exact: true }).click();
    await page.getByRole('heading', { name: 'local', level: 1 }).waitFor();
    await page
      .getByText(/^not signed: loaded because security\.allow_unsigned_local_plugins is on/)
      .waitFor();
  });
});
