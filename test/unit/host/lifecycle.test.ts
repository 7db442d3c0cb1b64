import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AsyncSeriesHook,
  type BusEvent,
  createHost,
  type PluginHost,
  type PluginStateChange,
} from '../../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

/** A module that records what happens to it in globalThis.__jovianLog (in-process plugins share globals). */
const recorder = (id: string, extra = '') => `
const log = (globalThis.__jovianLog ??= []);
log.push('${id}:import');
export default {
  async activate(ctx) { log.push('${id}:activate'); ${extra} },
  async deactivate() { log.push('${id}:deactivate'); },
};
`;

declare global {
  var __jovianLog: string[] | undefined;
}

describe('plugin lifecycle', () => {
  let fixture: Fixture;
  let host: PluginHost;
  const states: PluginStateChange[] = [];

  beforeEach(async () => {
    fixture = await createFixture();
    globalThis.__jovianLog = [];
    states.length = 0;
  });
  afterEach(async () => {
    await host?.stop();
    await fixture.cleanup();
  });

  function makeHost(options: Parameters<typeof createHost>[0] = {}) {
    host = createHost({
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      activationTimeoutMs: 300,
      deactivationTimeoutMs: 300,
      manifestCache: false,
      isolation: AS_DECLARED,
      ...options,
    });
    host.events.subscribe(
      'plugin.state',
      (event: BusEvent) => void states.push(event.payload as PluginStateChange),
    );
    return host;
  }

  describe('#load', () => {
    it('should discover and resolve plugins without running any of their code', async () => {
      await fixture.add('quiet', { code: "throw new Error('must not be imported');" });
      makeHost();
      await host.load();
      expect(host.record('quiet')?.state).toBe('resolved');
      expect(globalThis.__jovianLog).toEqual([]);
    });

    it('should keep an invalid plugin listed in error with its reason', async () => {
      await fixture.add('broken', {
        yaml: 'id: broken\ntype: tool\nversion: 1.0.0\nengines: {jovian: "*"}\nmain: index.mjs\ncolour: red\n',
      });
      makeHost();
      await host.load();
      expect(host.record('broken')).toMatchObject({
        state: 'error',
        reasonCode: 'JOVIAN_E_MANIFEST_UNKNOWN_FIELD',
      });
    });

    it('should wrap legacy modules, and report those it cannot use', async () => {
      const { mkdir, writeFile } = await import('node:fs/promises');
      for (const [name, code] of [
        ['old_ok', 'export const plugin = { meta: { name: "Old" }, run: () => 1 };'],
        ['old_empty', 'export const something = 1;'],
        ['old_throws', "throw new Error('bad import');"],
      ]) {
        await mkdir(join(fixture.pluginsDir, name!), { recursive: true });
        await writeFile(join(fixture.pluginsDir, name!, 'plugin.mjs'), code!);
      }
      makeHost();
      await host.load();
      expect(host.record('old_ok')).toMatchObject({ state: 'resolved', legacy: true });
      expect(host.record('old_empty')).toMatchObject({
        state: 'error',
        reasonCode: 'JOVIAN_E_LEGACY_INVALID',
      });
      expect(host.record('old_throws')).toMatchObject({
        state: 'error',
        reasonCode: 'JOVIAN_E_LEGACY_INVALID',
      });
      expect(host.record('old_throws')?.reason).toContain('bad import');
    });
  });

  describe('#start', () => {
    it('should initialize core, then system plugins, and leave lazy tools unloaded', async () => {
      await fixture.add('sys', { manifest: { type: 'system' }, code: recorder('sys') });
      await fixture.add('eager', { manifest: { activation: ['onStartup'] }, code: recorder('eager') });
      await fixture.add('lazy', { code: recorder('lazy') });
      makeHost();
      await host.start();
      expect(host.record('bridge')?.state).toBe('ready');
      expect(host.record('settings')?.state).toBe('ready');
      expect(host.record('sys')?.state).toBe('ready');
      expect(host.record('eager')?.state).toBe('ready');
      expect(host.record('lazy')?.state).toBe('resolved');
      expect(globalThis.__jovianLog).toEqual([
        'sys:import',
        'sys:activate',
        'eager:import',
        'eager:activate',
      ]);
      expect(host.record('sys')?.outcome).toMatchObject({ activatedBy: 'onStartup' });
      expect(host.record('sys')?.outcome.loadMs).toBeGreaterThanOrEqual(0);
    });

    it('should publish every transition as plugin.state with timestamp and reason', async () => {
      await fixture.add('sys', { manifest: { type: 'system' } });
      makeHost();
      await host.start();
      await host.events.flush();
      const sys = states.filter((s) => s.id === 'sys');
      expect(sys.map((s) => `${s.from}>${s.to}`)).toEqual([
        'discovered>resolved',
        'resolved>loading',
        'loading>ready',
      ]);
      expect(sys[1]?.reason).toBe('onStartup');
      expect(Date.parse(sys[0]!.at)).not.toBeNaN();
    });

    it('should refuse to start with an invalid jovian.yaml, naming the key', async () => {
      const { writeFile, mkdir } = await import('node:fs/promises');
      await mkdir(fixture.dataDir, { recursive: true });
      await writeFile(join(fixture.dataDir, 'jovian.yaml'), 'developer_mode: yes please\n');
      makeHost();
      await expect(host.start()).rejects.toMatchObject({
        code: 'JOVIAN_E_CONFIG_INVALID',
        message: '`developer_mode` must be a boolean',
        where: { line: 1, column: 17 },
      });
    });
  });

  describe('#activate', () => {
    it('should share one activation between concurrent requests', async () => {
      await fixture.add('slow', {
        code: "globalThis.__jovianLog.push('slow:import'); export default { async activate() { globalThis.__jovianLog.push('slow:activate'); await new Promise((r) => setTimeout(r, 30)); } };",
      });
      makeHost();
      await host.start();
      await Promise.all([host.activate('slow'), host.activate('slow'), host.activate('slow')]);
      expect(globalThis.__jovianLog).toEqual(['slow:import', 'slow:activate']);
      expect(host.record('slow')?.state).toBe('ready');
    });

    it('should fail a plugin whose activate() misses its deadline and keep the host serving', async () => {
      await fixture.add('stuck', {
        code: 'export default { activate() { return new Promise(() => {}); } };',
      });
      await fixture.add('fine', { code: recorder('fine') });
      makeHost();
      await host.start();
      await expect(host.activate('stuck')).rejects.toMatchObject({
        code: 'JOVIAN_E_ACTIVATION_TIMEOUT',
        message: 'plugin `stuck` did not activate within 300 ms',
      });
      expect(host.record('stuck')).toMatchObject({
        state: 'error',
        reasonCode: 'JOVIAN_E_ACTIVATION_TIMEOUT',
      });
      expect(host.record('stuck')?.outcome.error?.code).toBe('JOVIAN_E_ACTIVATION_TIMEOUT');
      await host.activate('fine');
      expect(host.record('fine')?.state).toBe('ready');
    });

    it('should honour a plugin’s own limits.timeout_ms', async () => {
      await fixture.add('patient', {
        manifest: { limits: { timeout_ms: 1000 } },
        code: 'export default { activate() { return new Promise((r) => setTimeout(r, 500)); } };',
      });
      makeHost();
      await host.start();
      await host.activate('patient');
      expect(host.record('patient')?.state).toBe('ready');
    });

    it('should report a throwing activate() with its cause and block the dependents', async () => {
      await fixture.add('base', {
        code: "export default { activate() { throw new Error('no database'); } };",
      });
      await fixture.add('user', { manifest: { dependencies: [{ id: 'base' }] }, code: recorder('user') });
      makeHost();
      await host.start();
      await expect(host.activate('user')).rejects.toMatchObject({ code: 'JOVIAN_E_DEPENDENCY_FAILED' });
      await host.idle();
      expect(host.record('base')).toMatchObject({
        state: 'error',
        reasonCode: 'JOVIAN_E_ACTIVATION_FAILED',
        reason: 'plugin `base` failed to activate: no database',
      });
      expect(host.record('user')).toMatchObject({
        state: 'blocked',
        reason: 'needs `base`, which is failed',
      });
      expect(globalThis.__jovianLog).toEqual([]);
    });

    it('should activate dependencies first', async () => {
      await fixture.add('alpha', { code: recorder('alpha') });
      await fixture.add('beta', { manifest: { dependencies: [{ id: 'alpha' }] }, code: recorder('beta') });
      makeHost();
      await host.start();
      await host.activate('beta');
      expect(globalThis.__jovianLog).toEqual([
        'alpha:import',
        'alpha:activate',
        'beta:import',
        'beta:activate',
      ]);
    });

    it('should refuse to activate a blocked plugin and say why', async () => {
      await fixture.add('orphan', { manifest: { dependencies: [{ id: 'ghost' }] } });
      makeHost();
      await host.start();
      await expect(host.activate('orphan')).rejects.toMatchObject({
        code: 'JOVIAN_E_PLUGIN_UNAVAILABLE',
        message:
          'plugin `orphan` cannot be activated, it is blocked: plugin `orphan` requires `ghost`, which is not installed',
      });
    });

    it('should refuse to be used before start()', async () => {
      await fixture.add('alpha');
      makeHost();
      await host.load();
      await expect(host.activate('a')).rejects.toMatchObject({ code: 'JOVIAN_E_HOST_NOT_STARTED' });
      await expect(host.activate('nope')).rejects.toMatchObject({ code: 'JOVIAN_E_HOST_NOT_STARTED' });
    });
  });

  describe('#disable / #enable', () => {
    it('should stop dependents first, block them, persist the flag, and bring everything back on enable', async () => {
      await fixture.add('alpha', { code: recorder('alpha') });
      await fixture.add('beta', { manifest: { dependencies: [{ id: 'alpha' }] }, code: recorder('beta') });
      makeHost();
      await host.start();
      await host.activate('beta');
      globalThis.__jovianLog!.length = 0;
      const result = await host.disable('alpha');
      expect(globalThis.__jovianLog).toEqual(['beta:deactivate', 'alpha:deactivate']);
      expect(result).toMatchObject({
        id: 'alpha',
        enabled: false,
        state: 'disabled',
        file: join(fixture.dataDir, 'jovian.yaml'),
      });
      expect(host.record('beta')).toMatchObject({
        state: 'blocked',
        reason: 'needs `alpha`, which is disabled',
      });
      expect(await readFile(join(fixture.dataDir, 'jovian.yaml'), 'utf8')).toContain('enabled: false');

      await host.enable('alpha');
      expect(host.record('alpha')?.state).toBe('resolved');
      expect(host.record('beta')?.state).toBe('resolved');
      await host.activate('beta');
      expect(host.record('beta')?.state).toBe('ready');
    });

    it('should write to a project file when asked, and a project flag should win over the global one', async () => {
      await fixture.add('alpha');
      const projectFile = join(fixture.root, 'demo.jovian.yaml');
      makeHost({ projectFile });
      await host.start();
      await host.disable('alpha', { projectFile });
      expect(host.record('alpha')?.state).toBe('disabled');
      expect(await readFile(projectFile, 'utf8')).toContain('enabled: false');
      const result = await host.enable('alpha');
      expect(result).toMatchObject({ enabled: false, overriddenBy: projectFile });
      expect(host.record('alpha')?.state).toBe('disabled');
    });

    it('should refuse to disable a core plugin', async () => {
      makeHost();
      await host.start();
      await expect(host.disable('bridge')).rejects.toMatchObject({ code: 'JOVIAN_E_CORE_PLUGIN_LOCKED' });
      await expect(host.disable('nope')).rejects.toMatchObject({ code: 'JOVIAN_E_PLUGIN_NOT_FOUND' });
    });
  });

  describe('#deactivate and #stop', () => {
    it('should stop a plugin whose deactivate() hangs anyway, recording the timeout', async () => {
      await fixture.add('clingy', {
        code: 'export default { activate() {}, deactivate() { return new Promise(() => {}); } };',
      });
      makeHost();
      await host.start();
      await host.activate('clingy');
      expect(await host.deactivate('clingy')).toBe(true);
      expect(host.record('clingy')?.state).toBe('stopped');
      expect(host.record('clingy')?.outcome.error?.code).toBe('JOVIAN_E_DEACTIVATION_TIMEOUT');
    });

    it('should let a stopped plugin be activated again by its activation event', async () => {
      const hooks = { ping: new AsyncSeriesHook<[]>({ name: 'ping' }) };
      await fixture.add('pinger', {
        manifest: { contributes: { hooks: ['ping'] } },
        code: "export default { async activate(ctx) { await ctx.hooks.tap('ping', () => { globalThis.__jovianLog.push('pong'); }); } };",
      });
      makeHost({ hooks });
      await host.start();
      await hooks.ping.call();
      await host.deactivate('pinger');
      expect(host.record('pinger')?.state).toBe('stopped');
      await hooks.ping.call();
      expect(host.record('pinger')?.state).toBe('ready');
      expect(globalThis.__jovianLog).toEqual(['pong', 'pong']);
    });

    it('should stop plugins in reverse order, dependents first', async () => {
      await fixture.add('alpha', { manifest: { activation: ['onStartup'] }, code: recorder('alpha') });
      await fixture.add('beta', {
        manifest: { activation: ['onStartup'], dependencies: [{ id: 'alpha' }] },
        code: recorder('beta'),
      });
      makeHost();
      await host.start();
      globalThis.__jovianLog!.length = 0;
      await host.stop();
      expect(globalThis.__jovianLog).toEqual(['beta:deactivate', 'alpha:deactivate']);
      expect(host.record('alpha')?.state).toBe('stopped');
    });
  });

  it('should never import code for a plugin that is only listed', async () => {
    await fixture.add('marker', {
      code: `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(join('/tmp', 'never'))} + process.pid, 'x'); export default {};`,
    });
    makeHost();
    await host.load();
    expect(existsSync(`/tmp/never${process.pid}`)).toBe(false);
  });
});
