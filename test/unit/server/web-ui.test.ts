/**
 * The WebUI as the server hands it out, through `app.inject()` over a real host and a small build of
 * the UI in a temporary folder: the page at `/` and at client-side routes, hashed assets with their
 * types and long cache, no token needed for any of it, and the API unchanged beside it.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHooks, PluginHost } from '../../../src/index.js';
import { createServer, type JovianServer } from '../../../src/server/index.js';
import { startChatHost } from '../../helpers/chat-host.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

const INDEX = '<!doctype html><title>Jovian</title><div id="root"></div>';

describe('WebUI routes', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  let unbuilt: JovianServer;

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('greeter');
    const webDir = join(fixture.root, 'web-build');
    await mkdir(join(webDir, 'assets'), { recursive: true });
    await writeFile(join(webDir, 'index.html'), INDEX);
    await writeFile(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(webDir, 'assets', 'index-AbC123.js'), 'console.log("ui");\n');
    await writeFile(join(webDir, 'assets', 'index-Xy9.css'), 'body { color: red }\n');
    await writeFile(join(fixture.root, 'outside.txt'), 'not part of the UI');
    await symlink(join(fixture.root, 'outside.txt'), join(webDir, 'assets', 'link.js'));
    host = await startChatHost(fixture);
    server = await createServer({ host, webDir });
    unbuilt = await createServer({ host, webDir: join(fixture.root, 'nothing-here') });
  });
  afterAll(async () => {
    await server?.app.close();
    await unbuilt?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  describe('GET / and client-side routes', () => {
    it('should answer index.html at / without a token, never cached without a check', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.body).toBe(INDEX);
    });

    it('should answer index.html for a page of the UI such as /plugins/x, with or without a query', async () => {
      for (const url of ['/plugins/x', '/plugins/greeter?tab=logs', '/somewhere/else']) {
        const response = await server.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(200);
        expect(response.headers['content-type'], url).toBe('text/html; charset=utf-8');
        expect(response.body, url).toBe(INDEX);
      }
    });

    it('should serve the other files at the root of the build as themselves', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/favicon.svg' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/svg+xml');
      expect(response.body).toContain('<svg');
    });

    it('should say the UI is not built when its folder has no index.html, and keep the API working', async () => {
      const page = await unbuilt.app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(404);
      expect(page.json()).toMatchObject({
        error: { code: 'JOVIAN_E_SERVER_NOT_FOUND', hint: expect.stringContaining('npm run build') },
      });
      const api = await unbuilt.app.inject({
        method: 'GET',
        url: '/api/health',
        headers: { authorization: `Bearer ${unbuilt.token}` },
      });
      expect(api.statusCode).toBe(200);
    });
  });

  describe('GET /assets/*', () => {
    it('should serve a built file with its content type and a year of immutable cache', async () => {
      const script = await server.app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(script.headers['x-content-type-options']).toBe('nosniff');
      expect(script.body).toBe('console.log("ui");\n');
      const style = await server.app.inject({ method: 'GET', url: '/assets/index-Xy9.css' });
      expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    });

    it('should answer a JSON 404, not the page, for a file that is not in assets/ or leaves it', async () => {
      for (const url of [
        '/assets/missing-123.js',
        '/assets/..%2findex.html',
        '/assets/%2e%2e%2f%2e%2e%2foutside.txt',
        '/assets/link.js',
      ]) {
        const response = await server.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
        expect(response.json(), url).toMatchObject({ error: { code: 'JOVIAN_E_SERVER_NOT_FOUND' } });
      }
    });
  });

  describe('the API beside the UI', () => {
    it('should still need the token under /api, and answer unknown API routes in JSON', async () => {
      const refused = await server.app.inject({ method: 'GET', url: '/api/plugins' });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ error: { code: 'JOVIAN_E_SERVER_UNAUTHORIZED' } });
      const auth = { authorization: `Bearer ${server.token}` };
      const plugins = await server.app.inject({ method: 'GET', url: '/api/plugins', headers: auth });
      expect(plugins.json()).toEqual({ plugins: [expect.objectContaining({ id: 'greeter' })] });
      const unknown = await server.app.inject({ method: 'GET', url: '/api/nothing/here', headers: auth });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toContain('application/json');
    });

    it('should keep plugin assets behind the token, and other methods than GET out of the UI', async () => {
      const asset = await server.app.inject({ method: 'GET', url: '/plugins/greeter/assets/panel.js' });
      expect(asset.statusCode).toBe(401);
      const posted = await server.app.inject({ method: 'POST', url: '/plugins/x' });
      expect(posted.statusCode).toBe(404);
      expect(posted.json()).toMatchObject({ error: { code: 'JOVIAN_E_SERVER_NOT_FOUND' } });
    });
  });
});
