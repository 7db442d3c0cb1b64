/**
 * Settings whose fields depend on the values (`oneOf`, `dependencies`), in a real Chromium under the
 * WebUI's Content-Security-Policy, which forbids generated code: the form switches branches as the
 * values change, without a single error in the console, and a value of the chosen branch is saved.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { openPage, RESULTS } from './chromium.js';
import { type ServeProcess, startServe } from './serve-process.js';

describe('WebUI settings with branches in a browser', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const settings = () => page.getByRole('region', { name: 'Settings' });

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('backup', {
      manifest: {
        config_schema: {
          version: 1,
          schema: {
            type: 'object',
            properties: {
              target: {
                title: 'Target',
                oneOf: [
                  {
                    title: 'Folder',
                    type: 'object',
                    properties: { path: { type: 'string', title: 'Path' } },
                    required: ['path'],
                  },
                  {
                    title: 'Server',
                    type: 'object',
                    properties: { url: { type: 'string', title: 'URL', format: 'uri' } },
                    required: ['url'],
                  },
                ],
              },
              schedule: { type: 'string', title: 'Schedule', enum: ['daily', 'weekly'], default: 'daily' },
            },
            dependencies: {
              schedule: {
                oneOf: [
                  { properties: { schedule: { const: 'daily' } } },
                  {
                    properties: {
                      schedule: { const: 'weekly' },
                      weekday: { type: 'string', title: 'Weekday', enum: ['monday', 'friday'] },
                    },
                  },
                ],
              },
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
      'backup',
    ]);
    ({ browser, page } = await openPage(900));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text().slice(0, 200));
    });
    page.on('pageerror', (error) => problems.push(String(error).slice(0, 200)));
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fixture?.cleanup();
  });

  it('should switch fields with the values, and save the branch chosen', async () => {
    await page.goto(serve.loginUrl);
    await page.goto(`${serve.base}/plugins/backup`);
    await settings().getByLabel('Path').waitFor();
    expect(await settings().getByLabel('Weekday').count()).toBe(0);

    await settings().getByLabel('Schedule').selectOption('weekly');
    await settings().getByLabel('Weekday').selectOption('friday');

    await settings().locator('select').first().selectOption({ label: 'Server' });
    await settings().getByLabel('URL').fill('https://backup.example.com/drop');
    expect(await settings().getByLabel('Path').count()).toBe(0);
    await settings().getByRole('button', { name: 'Save' }).click();
    await settings()
      .getByRole('status')
      .getByText(/^Saved to /)
      .waitFor();
    await page.screenshot({ path: join(RESULTS, 'webui-settings-branches.png'), fullPage: true });

    const saved = parse(
      await readFile(join(fixture.dataDir, 'plugin-data', 'backup', 'config.yaml'), 'utf8'),
    );
    expect(saved).toMatchObject({
      schedule: 'weekly',
      weekday: 'friday',
      target: { url: 'https://backup.example.com/drop' },
    });
    expect(problems).toEqual([]);
  });
});
