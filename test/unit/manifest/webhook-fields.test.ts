import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/manifest/index.js';

const FILE = '/plugins/hooked/plugin.yaml';
const HEAD = ['id: hooked', 'type: tool', 'version: 1.0.0', 'engines:', '  jovian: "*"'];

function parse(...lines: string[]) {
  return parseManifest([...HEAD, ...lines, ''].join('\n'), FILE, { fallbackId: 'hooked' });
}

function onlyError(...lines: string[]) {
  const { manifest, diagnostics } = parse(...lines);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(diagnostics, null, 2)).toHaveLength(1);
  expect(manifest).toBeUndefined();
  return errors[0]!;
}

describe('parseManifest', () => {
  describe('#webhook', () => {
    it('should accept a webhook plugin without `main`', () => {
      const { manifest, diagnostics } = parse(
        'runtime: webhook',
        'webhook:',
        '  url: https://hooks.example.com/jovian',
        '  timeout_ms: 2000',
      );
      expect(diagnostics).toEqual([]);
      expect(manifest).toMatchObject({
        runtime: 'webhook',
        main: '',
        webhook: { url: 'https://hooks.example.com/jovian', timeout_ms: 2000 },
      });
    });

    it('should require `webhook` with runtime webhook, pointing at the runtime line', () => {
      expect(onlyError('runtime: webhook')).toMatchObject({
        code: 'JOVIAN_E_MANIFEST_MISSING_FIELD',
        message: expect.stringContaining('needs a `webhook` section'),
        hint: expect.stringContaining('webhook: { url:'),
        where: { file: FILE, line: 6 },
      });
    });

    it('should refuse `webhook` with another runtime', () => {
      expect(
        onlyError('main: index.js', 'runtime: process', 'webhook:', '  url: https://hooks.example.com/'),
      ).toMatchObject({
        code: 'JOVIAN_E_MANIFEST_INVALID',
        message: expect.stringContaining('runtime is `process`'),
        where: { file: FILE, line: 8 },
      });
    });

    it('should still require `main` for every other runtime', () => {
      expect(onlyError('runtime: worker')).toMatchObject({
        code: 'JOVIAN_E_MANIFEST_MISSING_FIELD',
        message: 'missing required field `main`',
      });
    });

    it.each([
      ['ftp://hooks.example.com/', 'JOVIAN_E_MANIFEST_INVALID', '`webhook.url`'],
      ['https://user:pass@hooks.example.com/', 'JOVIAN_E_MANIFEST_INVALID', 'user name or password'],
    ])('should refuse the URL %s', (url, code, words) => {
      expect(onlyError('runtime: webhook', 'webhook:', `  url: ${url}`)).toMatchObject({
        code,
        message: expect.stringContaining(words),
        where: { file: FILE, line: 8 },
      });
    });
  });
});
