/**
 * The settings frame of a plugin page, in a real Chromium against a real `jovian serve`: a form built
 * from the plugin's config_schema, a value the server refuses shown next to its field, a preview of
 * a valid change, and a save that lands in the plugin's config.yaml. Screenshots in test-results/.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { openPage, RESULTS } from './chromium.js';
import { type ServeProcess, startServe } from './serve-process.js';

describe('WebUI settings frame in a browser', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const configFile = () => join(fixture.dataDir, 'plugin-data', 'tuned', 'config.yaml');

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('tuned', {
      manifest: {
        description: 'Has settings.',
        config_schema: {
          version: 1,
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: {
              retries: { type: 'integer', title: 'Retries', minimum: 0, maximum: 5, default: 1 },
              mode: { type: 'string', title: 'Mode', enum: ['fast', 'safe'], default: 'safe' },
              verbose: { type: 'boolean', title: 'Verbose', default: false },
              greeting: { type: 'string', title: 'Greeting', default: 'hello' },
            },
          },
        },
      },
    });
    serve = await startServe([
      '--plugins-dir',
      fixture.pluginsDir,
      '--data-dir',
      fixture.dataDir,
      '--allow-inprocess',
      'tuned',
    ]);
    ({ browser, page } = await openPage(900));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fixture?.cleanup();
  });

  const settings = () => page.getByRole('region', { name: 'Settings' });
  const fieldOf = (id: string) => page.locator('.form-group', { has: page.locator(`#${id}`) }).last();

  it('should show a form built from the plugin’s config_schema, filled with its effective values', async () => {
    await page.goto(serve.loginUrl);
    await page.goto(`${serve.base}/plugins/tuned`);
    await settings().getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await settings().getByLabel('Retries').inputValue()).toBe('1');
    expect(await settings().getByLabel('Greeting').inputValue()).toBe('hello');
    await settings().getByLabel('Verbose').waitFor();
    await settings().getByLabel('Mode').waitFor();
  });

  it('should show the server’s refusal next to the field and above the form, writing nothing', async () => {
    await settings().getByLabel('Retries').fill('9');
    await settings().getByRole('button', { name: 'Save' }).click();
    await settings().getByRole('alert').getByText('The server refused these values:').waitFor();
    await settings().getByRole('alert').getByText('retries must be <= 5').waitFor();
    await fieldOf('root_retries').getByText('retries must be <= 5').waitFor();
    await expect(stat(configFile())).rejects.toThrow();
    await settings().screenshot({ path: join(RESULTS, 'webui-settings-refused.png') });
  });

  it('should preview a valid change as a list of keys with their values before and after', async () => {
    await settings().getByLabel('Retries').fill('3');
    await settings().getByLabel('Mode').selectOption('fast');
    await settings().getByRole('button', { name: 'Preview' }).click();
    const preview = settings().getByRole('status');
    await preview.getByText('Saving would change:').waitFor();
    await preview.getByRole('listitem').filter({ hasText: 'retries: 1 → 3' }).waitFor();
    await preview.getByRole('listitem').filter({ hasText: 'mode: "safe" → "fast"' }).waitFor();
    expect(await preview.getByRole('listitem').count()).toBe(2);
    expect(await fieldOf('root_retries').getByText('retries must be <= 5').count()).toBe(0);
    await expect(stat(configFile())).rejects.toThrow();
  });

  it('should save the change to the plugin’s config.yaml and say so', async () => {
    await settings().getByLabel('Verbose').check();
    await settings().getByRole('button', { name: 'Save' }).click();
    await settings().getByRole('status').getByText(`Saved to ${configFile()}.`).waitFor();
    const written = await readFile(configFile(), 'utf8');
    expect(written).toMatch(/^retries: 3$/m);
    expect(written).toMatch(/^mode: fast$/m);
    expect(written).toMatch(/^verbose: true$/m);
    expect(written).not.toMatch(/greeting/);
    await page.screenshot({ path: join(RESULTS, 'webui-settings.png'), fullPage: true });
  });

  it('should label the frame in French too', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('heading', { name: 'Réglages' }).waitFor();
    await page.getByRole('button', { name: 'Aperçu' }).waitFor();
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
  });
});
