import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/manifest/index.js';
import { checkRuntimeCapabilities } from '../../../src/runtimes/index.js';

const FILE = '/plugins/counter/plugin.yaml';
const BASE = ['id: counter', 'type: tool', 'version: 1.0.0', 'engines:', '  jovian: "*"', 'main: plugin.py'];

const parse = (...lines: string[]) =>
  parseManifest([...BASE, ...lines, ''].join('\n'), FILE, { fallbackId: 'counter' });

describe('manifest `command`', () => {
  it('should keep the argv of a process plugin', () => {
    const { manifest, diagnostics } = parse('runtime: process', 'command: ["python3", "-B", "plugin.py"]');
    expect(diagnostics).toEqual([]);
    expect(manifest).toMatchObject({
      runtime: 'process',
      main: 'plugin.py',
      command: ['python3', '-B', 'plugin.py'],
    });
  });

  it('should leave it out of plugins that run main with Node', () => {
    expect(parse('runtime: process').manifest?.command).toBeUndefined();
  });

  it('should refuse it with another runtime, at the field, saying how to fix it', () => {
    const { manifest, diagnostics } = parse('runtime: worker', 'command: ["python3", "plugin.py"]');
    expect(manifest).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'JOVIAN_E_MANIFEST_INVALID',
        severity: 'error',
        message: "`command` is only used with `runtime: process`, and this plugin's runtime is `worker`",
        hint: expect.stringContaining('set `runtime: process`'),
        where: expect.objectContaining({ file: FILE, line: 8, column: 1 }),
      }),
    ]);
    expect(parse('command: ["python3"]').diagnostics[0]?.message).toContain('runtime is `inprocess`');
  });

  it('should refuse an empty argv or an empty program', () => {
    expect(parse('runtime: process', 'command: []').diagnostics[0]).toMatchObject({
      code: 'JOVIAN_E_MANIFEST_INVALID',
      where: expect.objectContaining({ line: 8 }),
    });
    expect(parse('runtime: process', 'command: [" "]').diagnostics[0]?.code).toBe(
      'JOVIAN_E_MANIFEST_INVALID',
    );
  });

  it('should warn that limits.memory_mb is not enforced for a program', () => {
    const { manifest } = parse(
      'runtime: process',
      'command: ["python3", "plugin.py"]',
      'limits:',
      '  memory_mb: 64',
    );
    expect(checkRuntimeCapabilities(manifest!)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('limits.memory_mb is not enforced'),
      }),
    ]);
  });
});
