/**
 * Debian's Chromium (never a downloaded one) for the browser tests, with the flags that let it run
 * headless as root in a container with no network of its own.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright';

export const ROOT = join(import.meta.dirname, '..', '..');
/** Where the screenshots are left. */
export const RESULTS = join(ROOT, 'test-results');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * Launches Chromium once the WebUI is built.
 * @throws Error naming what to install or build when Chromium or dist/web is missing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html')))
    throw new Error('the WebUI is not built: run `npm run build` first (npm test does it)');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The longest any one thing may take to show up on the page. */
export const SHOWS_WITHIN = 10_000;

/**
 * Chromium with one English page of the given height, waiting up to SHOWS_WITHIN for anything, and the
 * screenshot folder ready.
 */
export async function openPage(height: number): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height } });
  context.setDefaultTimeout(SHOWS_WITHIN);
  const page = await context.newPage();
  await mkdir(RESULTS, { recursive: true });
  return { browser, page };
}
