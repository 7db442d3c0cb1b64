import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { openPage, RESULTS } from './chromium.js';
import { type ServeProcess, startServe } from './serve-process.js';

describe('WebUI in a browser', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('greeter', { manifest: { description: 'Says hello.' } });
    await fixture.add('talker', {
      manifest: {
        description: 'Logs what it is told to say.',
        contributes: { routes: [{ method: 'POST', path: '/say' }] },
      },
      code: `export default { async activate(ctx) {
        await ctx.contributions.registerRoute('POST', '/say', (request) => {
          ctx.logger.info('said ' + request.body.text);
          return { said: request.body.text };
        });
      } };`,
    });
    await fixture.add('broken', {
      manifest: { activation: ['onStartup'], restart: 'never' },
      code: "export default { activate() { throw new Error('the database is unreachable'); } };",
    });
    serve = await startServe([
      '--plugins-dir',
      fixture.pluginsDir,
      '--data-dir',
      fixture.dataDir,
      '--allow-inprocess',
      'greeter,talker,broken',
    ]);
    ({ browser, page } = await openPage(800));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fixture?.cleanup();
  });

  const row = (name: string) =>
    page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const stateOf = async (id: string) => {
    const response = await fetch(`${serve.base}/api/plugins/${id}`, {
      headers: { authorization: `Bearer ${serve.token}` },
    });
    return ((await response.json()) as { state: string }).state;
  };

  it('should ask for the login URL before the browser has the cookie', async () => {
    await page.goto(`${serve.base}/`);
    await page.getByRole('heading', { name: 'Sign in with the login URL' }).waitFor();
    expect(await page.getByText(`${serve.base}/login?token=…`).isVisible()).toBe(true);
  });

  it('should list every plugin after the login URL, with its state, and grey a failed one with its reason', async () => {
    await page.goto(serve.loginUrl);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { name: 'Plugins' }).waitFor();
    for (const name of ['greeter', 'talker', 'broken']) await row(name).waitFor();
    await row('greeter').getByText('resolved', { exact: true }).waitFor();
    await row('broken').getByText('error', { exact: true }).waitFor();
    await row('broken')
      .getByText(/the database is unreachable/)
      .waitFor();
    expect(await row('broken').getAttribute('class')).toContain('failed');
    expect(await row('talker').getByRole('cell').allTextContents()).toEqual(
      expect.arrayContaining(['tool', 'inprocess', '1.0.0', 'unsigned', 'only its own folders', 'closed']),
    );
    await page.getByText('Live', { exact: true }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'webui-plugins.png'), fullPage: true });
  });

  it("should take 'see its logs' of a failed plugin to that plugin's log", async () => {
    // A short window, so the log starts below it unless the link scrolls there.
    await page.setViewportSize({ width: 1280, height: 400 });
    await row('broken').getByRole('link', { name: 'See its logs' }).click();
    await page.getByRole('heading', { name: 'broken', level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe('#logs');
    await page.getByRole('log').waitFor();
    // Its top within the window (boundingBox is relative to the window's top-left corner).
    await expect
      .poll(async () => (await page.locator('#logs').boundingBox())?.y ?? Infinity)
      .toBeLessThan(350);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goBack();
    await page.getByRole('heading', { name: 'Plugins' }).waitFor();
  });

  it('should filter the list by what is typed', async () => {
    await page.getByRole('searchbox', { name: 'Filter plugins' }).fill('talk');
    await page.getByText('1 of 3 plugins').waitFor();
    expect(await page.getByRole('link', { name: 'greeter', exact: true }).count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Filter plugins' }).fill('');
    await page.getByText('3 of 3 plugins').waitFor();
  });

  it('should disable a plugin and show it at once, then enable it again', async () => {
    await page.getByRole('button', { name: 'Disable greeter' }).click();
    await row('greeter').getByText('disabled', { exact: true }).waitFor();
    expect(await stateOf('greeter')).toBe('disabled');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await row('greeter').getByText('désactivé', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Activer greeter' }).waitFor();
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');

    await page.getByRole('button', { name: 'Enable greeter' }).click();
    await row('greeter').getByText('resolved', { exact: true }).waitFor();
    expect(await stateOf('greeter')).toBe('resolved');
  });

  it('should open a plugin’s page and show a line the plugin logs, as it is logged', async () => {
    await page.getByRole('link', { name: 'talker', exact: true }).click();
    await page.getByRole('heading', { name: 'talker', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/plugins/talker');
    await page.getByText('Logs what it is told to say.').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();

    const answer = await fetch(`${serve.base}/api/x/talker/say`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello from the test' }),
    });
    expect(answer.status).toBe(200);
    const line = page.getByRole('log').getByText('said hello from the test');
    await line.waitFor();
    // The call activated the plugin: its badge followed, live too.
    await page.locator('.page-title').getByText('ready', { exact: true }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'webui-plugin.png'), fullPage: true });

    await page.getByRole('combobox', { name: 'Level' }).selectOption('error');
    await line.waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Level' }).selectOption('debug');
    await line.waitFor();
  });

  it('should show the same plugin page when its address is opened directly', async () => {
    await page.goto(`${serve.base}/plugins/talker`);
    await page.getByRole('heading', { name: 'talker', level: 1 }).waitFor();
    await page.getByRole('log').getByText('said hello from the test').waitFor();
    // Its usage, from the host's metrics: the route call made above.
    await page.getByText(/^1 calls, [\d.,]+ ms on average, last at /).waitFor();
  });
});
