import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BusEvent, createHost, type PluginHost } from '../../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

/** Counts activations in globalThis.__jovianActivations (in-process plugins share globals). */
const counting = (id: string) => `
export default {
  async activate(ctx) {
    const seen = (globalThis.__jovianActivations ??= {});
    seen['${id}'] = (seen['${id}'] ?? 0) + 1;
    await ctx.contributions.registerRoute('GET', '/version', () => '${id}');
  },
};
`;

declare global {
  var __jovianActivations: Record<string, number> | undefined;
}

const routed = (version: string, extra: Record<string, unknown> = {}) => ({
  version,
  activation: ['onStartup'],
  contributes: { routes: [{ method: 'GET', path: '/version' }] },
  ...extra,
});

describe('PluginHost', () => {
  let fixture: Fixture;
  let host: PluginHost;
  const events: BusEvent[] = [];

  beforeEach(async () => {
    fixture = await createFixture();
    globalThis.__jovianActivations = {};
    events.length = 0;
    await fixture.add('base', { manifest: routed('1.0.0'), code: counting('base') });
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
    });
    await host.start();
    host.events.subscribe('plugin.**', (event) => void events.push(event));
  });
  afterEach(async () => {
    await host?.stop();
    await fixture.cleanup();
  });

  const routesOf = (id: string) =>
    host.contributions
      .list('route')
      .filter((c) => c.pluginId === id)
      .map((c) => c.key);

  describe('#adopt', () => {
    it('should add a plugin that appeared on disk, declare its routes and start it, the others untouched', async () => {
      await fixture.add('late', {
        manifest: routed('1.0.0', { dependencies: [{ id: 'base', version: '^1.0.0' }] }),
        code: counting('late'),
      });
      expect(host.record('late')).toBeUndefined();
      const record = await host.adopt('late');
      expect(record.id).toBe('late');
      expect(host.record('late')?.state).toBe('ready');
      expect(routesOf('late')).toHaveLength(1);
      expect(globalThis.__jovianActivations).toEqual({ base: 1, late: 1 });
    });

    it('should refuse an id no plugins directory holds', async () => {
      await expect(host.adopt('ghost')).rejects.toMatchObject({ code: 'JOVIAN_E_PLUGIN_NOT_FOUND' });
    });
  });

  describe('#replace', () => {
    it('should run the version now on disk outside developer mode', async () => {
      expect(host.developerMode).toBe(false);
      const manifest = join(fixture.pluginsDir, 'base', 'plugin.yaml');
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('1.0.0', '1.1.0'));
      const result = await host.replace('base', 'update 1.1.0');
      expect(result).toMatchObject({ ok: true, from: '1.0.0', to: '1.1.0', wasActive: true });
      expect(host.record('base')?.manifest?.version).toBe('1.1.0');
      expect(host.record('base')?.state).toBe('ready');
      expect(globalThis.__jovianActivations?.base).toBe(2);
    });
  });

  describe('#forget', () => {
    it('should stop a removed plugin, drop its routes and record, and block what requires it', async () => {
      await fixture.add('late', {
        manifest: routed('1.0.0', { dependencies: [{ id: 'base', version: '^1.0.0' }] }),
        code: counting('late'),
      });
      await host.adopt('late');
      expect(await host.forget('base')).toBe(true);
      expect(host.record('base')).toBeUndefined();
      expect(routesOf('base')).toEqual([]);
      expect(host.record('late')?.state).toBe('blocked');
      expect(events.find((e) => e.topic === 'plugin.uninstalled')?.payload).toEqual({
        id: 'base',
        version: '1.0.0',
      });
      expect(await host.forget('base')).toBe(false);
    });
  });
});
