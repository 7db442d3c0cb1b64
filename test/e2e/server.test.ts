/**
 * `jovian serve` as a user runs it: a real process on a free loopback port, the login URL it prints,
 * the token on every API call, and a clean stop on SIGTERM.
 */
import { describe, expect, it } from 'vitest';
import { createFixture } from '../helpers/plugin-fixtures.js';
import { startServe } from './serve-process.js';

describe('jovian serve', () => {
  it('should print a login URL, answer only with the token, and stop cleanly on SIGTERM', async () => {
    const fixture = await createFixture();
    await fixture.add('stopper', {
      manifest: { type: 'system' },
      code: "export default { activate(ctx) { ctx.logger.info('up'); }, async deactivate() { await new Promise((r) => setTimeout(r, 50)); } };",
    });
    const serve = await startServe([
      '--plugins-dir',
      fixture.pluginsDir,
      '--data-dir',
      fixture.dataDir,
      '--allow-inprocess',
      'stopper',
    ]);
    try {
      const { base, token } = serve;
      expect(serve.output()).toMatch(/serving 1 plugins at http:\/\/127\.0\.0\.1:\d+/);

      expect((await fetch(`${base}/api/plugins`)).status).toBe(401);
      const plugins = await fetch(`${base}/api/plugins`, { headers: { authorization: `Bearer ${token}` } });
      expect(await plugins.json()).toEqual({
        plugins: [expect.objectContaining({ id: 'stopper', state: 'ready', type: 'system' })],
      });
      const entered = await fetch(serve.loginUrl, { redirect: 'manual' });
      expect(entered.status).toBe(303);
      const cookie = entered.headers.get('set-cookie')!.split(';')[0]!;
      const health = await fetch(`${base}/api/health`, { headers: { cookie } });
      expect(await health.json()).toMatchObject({ status: 'ok' });

      expect(await serve.stop()).toBe(0);
      expect(serve.output()).toContain('stopping (SIGTERM)');
    } finally {
      await serve.stop();
      await fixture.cleanup();
    }
  }, 30_000);
});
