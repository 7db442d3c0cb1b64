import { describe, expect, it } from 'vitest';
import { manifestFromLegacy } from '../../../src/manifest/index.js';

const reserved = new Set(['bridge', 'settings']);

describe('manifestFromLegacy', () => {
  it('should wrap a plugin object with safe defaults and legacy: true', () => {
    const { manifest, diagnostics } = manifestFromLegacy(
      {
        kind: 'object',
        meta: {
          name: 'Weather',
          description: 'Forecasts',
          permissions: ['net', 'fs_read'],
          inputs: { schema: { city: 'string', days: { type: 'integer', default: 3 } } },
        },
        hookMethods: [],
      },
      '/plugins/weather',
      '/plugins/weather/plugin.mjs',
      reserved,
    );
    expect(diagnostics).toEqual([]);
    expect(manifest).toMatchObject({
      id: 'weather',
      name: 'Weather',
      type: 'tool',
      version: '0.0.0',
      runtime: 'inprocess',
      engines: { jovian: '*' },
      main: 'plugin.mjs',
      legacy: true,
      activation: [],
      permissions: { network_outbound: true, fs_read: true, fs_write: false, run_commands: false },
      inputs: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer', default: 3 } },
        required: ['city'],
        additionalProperties: false,
      },
    });
  });

  it('should tap the hooks named by on_* methods', () => {
    const { manifest } = manifestFromLegacy(
      { kind: 'class', meta: {}, hookMethods: ['on_chat', 'on_scan'] },
      '/p/scanner',
      '/p/scanner/index.mjs',
      reserved,
    );
    expect(manifest?.contributes.hooks.map((h) => h.name)).toEqual(['on_chat', 'on_scan']);
    expect(manifest?.activation).toEqual(['onHook:on_chat', 'onHook:on_scan']);
  });

  it.each([
    [{ permissions: ['everything'] }, 'JOVIAN_E_LEGACY_INVALID'],
    [{ inputs: { schema: 'text' } }, 'JOVIAN_E_LEGACY_INVALID'],
  ])('should refuse bad meta %j', (meta, code) => {
    const { manifest, diagnostics } = manifestFromLegacy(
      { kind: 'object', meta, hookMethods: [] },
      '/p/bad',
      '/p/bad/plugin.js',
      reserved,
    );
    expect(manifest).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code, where: { file: '/p/bad/plugin.js', line: 1 } });
  });

  it('should refuse a folder name that is not a plugin id, or a reserved one', () => {
    expect(
      manifestFromLegacy(
        { kind: 'object', meta: {}, hookMethods: [] },
        '/p/My Plugin',
        '/p/My Plugin/plugin.js',
        reserved,
      ).diagnostics[0]?.code,
    ).toBe('JOVIAN_E_MANIFEST_BAD_ID');
    expect(
      manifestFromLegacy(
        { kind: 'object', meta: {}, hookMethods: [] },
        '/p/bridge',
        '/p/bridge/plugin.js',
        reserved,
      ).diagnostics[0]?.code,
    ).toBe('JOVIAN_E_MANIFEST_RESERVED_ID');
  });
});
