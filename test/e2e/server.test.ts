/**
 * `jovian serve` as a user runs it: a real process on a free loopback port, the login URL it prints,
 * the token on every API call, and a clean stop on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFixture } from '../helpers/plugin-fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('jovian serve', () => {
  it('should print a login URL, answer only with the token, and stop cleanly on SIGTERM', async () => {
    const fixture = await createFixture();
    await fixture.add('stopper', {
      manifest: { type: 'system' },
      code: "export default { activate(ctx) { ctx.logger.info('up'); }, async deactivate() { await new Promise((r) => setTimeout(r, 50)); } };",
    });
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'jovian.js'),
        '--plugins-dir',
        fixture.pluginsDir,
        '--data-dir',
        fixture.dataDir,
        '--allow-inprocess',
        'stopper',
        'serve',
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      for (let i = 0; i < 400 && !/login: \S+/.test(out); i++) await new Promise((r) => setTimeout(r, 25));
      const login = /login: (http:\/\/127\.0\.0\.1:\d+)\/login\?token=([0-9a-f]{64})/.exec(out);
      expect(login, out).not.toBeNull();
      const [, base, token] = login!;
      expect(out).toMatch(/serving 1 plugins at http:\/\/127\.0\.0\.1:\d+/);

      expect((await fetch(`${base}/api/plugins`)).status).toBe(401);
      const plugins = await fetch(`${base}/api/plugins`, { headers: { authorization: `Bearer ${token}` } });
      expect(await plugins.json()).toEqual({
        plugins: [expect.objectContaining({ id: 'stopper', state: 'ready', type: 'system' })],
      });
      const entered = await fetch(`${base}/login?token=${token}`, { redirect: 'manual' });
      expect(entered.status).toBe(303);
      const cookie = entered.headers.get('set-cookie')!.split(';')[0]!;
      const health = await fetch(`${base}/api/health`, { headers: { cookie } });
      expect(await health.json()).toMatchObject({ status: 'ok' });

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      expect(out).toContain('stopping (SIGTERM)');
    } finally {
      child.kill('SIGKILL');
      await fixture.cleanup();
    }
  }, 30_000);
});
