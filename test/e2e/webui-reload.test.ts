/**
 * Hot reload as a plugin author lives it, in a real Chromium against a real `jovian --dev serve`: a
 * `process` plugin's panel shows what the plugin answers; after editing the panel and a module the
 * plugin imports, `jovian plugins reload` (which asks the running server) makes the page show the new
 * text without a page reload. A broken version is reported in an error toast, and the panel and the
 * plugin keep the previous version. Outside developer mode, the command is refused with the reason.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { openPage, RESULTS } from './chromium.js';
import { jovian } from './cli-helpers.js';
import { type ServeProcess, startServe } from './serve-process.js';

/** The panel: asks the plugin for its forecast and shows it under the panel's own label. */
const panel = (label: string) => `
export async function mount(element, bridge) {
  const line = document.createElement('p');
  line.id = bridge.idPrefix + 'forecast';
  element.append(line);
  const data = await bridge.api.panel('main', {});
  line.textContent = '${label}: ' + data.sky;
}
`;

const ENTRY = `import { sky } from './sky.mjs';
export default {
  async activate(ctx) {
    await ctx.contributions.registerPanel('main', () => ({ sky }));
  },
};
`;

const sky = (text: string) => `export const sky = ${JSON.stringify(text)};\n`;

interface Reloaded {
  readonly ok: boolean;
  readonly from: string;
  readonly to?: string;
  readonly rolledBack?: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  readonly crashDump?: string;
}

describe('hot reload in the WebUI (developer mode)', () => {
  let fixture: Fixture;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const reload = () =>
    jovian([
      '--plugins-dir',
      fixture.pluginsDir,
      '--data-dir',
      fixture.dataDir,
      'plugins',
      'reload',
      'forecast',
      '--json',
    ]);
  const forecast = () => page.locator('#plugin-forecast-forecast');

  beforeAll(async () => {
    fixture = await createFixture();
    dir = await fixture.add('forecast', {
      manifest: {
        name: 'Forecast',
        runtime: 'process',
        contributes: { ui: { panels: [{ id: 'main' }] } },
      },
      code: ENTRY,
      files: { 'sky.mjs': sky('sunny'), 'web/panels/main.js': panel('first panel') },
    });
    serve = await startServe(['--dev', '--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir]);
    ({ browser, page } = await openPage(800));
    await page.goto(serve.loginUrl);
    await page.getByRole('heading', { name: 'Plugins' }).waitFor();
    await page.goto(`${serve.base}/plugins/forecast`);
    await forecast().getByText('first panel: sunny').waitFor();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await fixture?.cleanup();
  });

  it('should show the edited panel and the plugin’s new answer after `plugins reload`, without reloading the page', async () => {
    // A mark on the page: it would be gone if the browser loaded the page again.
    await page.evaluate(() => ((globalThis as { samePage?: boolean }).samePage = true));
    await writeFile(join(dir, 'web', 'panels', 'main.js'), panel('second panel'));
    await writeFile(join(dir, 'sky.mjs'), sky('rainy'));

    const result = await reload();
    expect(result.code).toBe(0);
    expect(result.json<Reloaded>()).toMatchObject({ ok: true, from: '1.0.0', to: '1.0.0' });
    await forecast().getByText('second panel: rainy').waitFor();
    await page.getByRole('status').filter({ hasText: 'Reloaded: version 1.0.0 → 1.0.0.' }).waitFor();
    expect(await page.evaluate(() => (globalThis as { samePage?: boolean }).samePage)).toBe(true);
  });

  it('should say in a toast that a broken version failed, and keep the previous panel and plugin', async () => {
    await writeFile(join(dir, 'web', 'panels', 'main.js'), panel('third panel'));
    await writeFile(join(dir, 'index.mjs'), `${ENTRY}\nexport const broken = ;\n`);

    const result = await reload();
    expect(result.code).toBe(1);
    const failed = result.json<Reloaded>();
    expect(failed).toMatchObject({ ok: false, rolledBack: true, error: { code: 'JOVIAN_E_RELOAD_FAILED' } });
    expect(failed.crashDump).toContain(join(fixture.dataDir, 'logs', 'crashes'));

    const toast = page.getByRole('status').filter({ hasText: 'Reload to version 1.0.0 failed' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('Version 1.0.0 keeps serving.');
    await page.screenshot({ path: join(RESULTS, 'webui-reload-failed.png'), fullPage: true });
    // The panel was not remounted, and the plugin still answers with the previous version.
    expect(await forecast().textContent()).toBe('second panel: rainy');
  });

  it('should pick up the fixed version with the next reload', async () => {
    await writeFile(join(dir, 'index.mjs'), ENTRY);
    await writeFile(join(dir, 'sky.mjs'), sky('snowy'));
    const result = await reload();
    expect(result.json<Reloaded>()).toMatchObject({ ok: true });
    await forecast().getByText('third panel: snowy').waitFor();
  });
});

describe('jovian --dev serve --watch', () => {
  it('should remount the panel with the plugin’s new answer once a module it imports is saved', async () => {
    const fixture = await createFixture();
    const dir = await fixture.add('forecast', {
      manifest: { runtime: 'process', contributes: { ui: { panels: [{ id: 'main' }] } } },
      code: ENTRY,
      files: { 'sky.mjs': sky('sunny'), 'web/panels/main.js': panel('watched panel') },
    });
    const serve = await startServe(
      ['--dev', '--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir],
      ['--watch'],
    );
    const { browser, page } = await openPage(800);
    try {
      await page.goto(serve.loginUrl);
      await page.getByRole('heading', { name: 'Plugins' }).waitFor();
      await page.goto(`${serve.base}/plugins/forecast`);
      const forecast = page.locator('#plugin-forecast-forecast');
      await forecast.getByText('watched panel: sunny').waitFor();
      await writeFile(join(dir, 'sky.mjs'), sky('foggy'));
      await forecast.getByText('watched panel: foggy').waitFor();
      expect(serve.output()).toContain('reloaded forecast 1.0.0 → 1.0.0');
    } finally {
      await browser.close();
      await serve.stop();
      await fixture.cleanup();
    }
  }, 30_000);
});

describe('jovian plugins reload outside developer mode', () => {
  it('should be refused by a server that is not in developer mode, and by the command without --dev', async () => {
    const fixture = await createFixture();
    await fixture.add('forecast', { code: ENTRY, files: { 'sky.mjs': sky('sunny') } });
    const args = ['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir];
    try {
      const here = await jovian([...args, 'plugins', 'reload', 'forecast']);
      expect(here.code).not.toBe(0);
      expect(here.stderr).toContain('JOVIAN_E_RELOAD_REFUSED');
      expect(here.stderr).toContain('developer_mode: true');

      const serve = await startServe(args);
      try {
        const there = await jovian([...args, '--dev', 'plugins', 'reload', 'forecast']);
        expect(there.code).not.toBe(0);
        expect(there.stderr).toContain('JOVIAN_E_RELOAD_REFUSED');
        expect(there.stderr).toContain('not in developer mode');
      } finally {
        await serve.stop();
      }
    } finally {
      await fixture.cleanup();
    }
  }, 30_000);
});
