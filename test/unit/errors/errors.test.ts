import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../../../scripts/render-errors-doc.js';
import {
  CancelledError,
  diagnostic,
  ERROR_CATALOGUE,
  errorToData,
  formatError,
  isCancellation,
  JovianError,
} from '../../../src/errors.js';

const root = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('error catalogue', () => {
  it('should be documented in docs/errors.md, one row per code, identically', () => {
    const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
    expect(doc).toBe(renderErrorsDoc());
    const documented = [...doc.matchAll(/^\| `(JOVIAN_E_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(ERROR_CATALOGUE));
  });

  it('should contain every code the source mentions', () => {
    const known = new Set(Object.keys(ERROR_CATALOGUE));
    const unknown: string[] = [];
    for (const file of sources(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/JOVIAN_E_[A-Z_]+/g)) {
        // A family prefix is fine in `code.startsWith('JOVIAN_E_CONFIG')`, nowhere else.
        const asPrefix =
          text.slice(match.index - 12, match.index) === "startsWith('" &&
          [...known].some((c) => c.startsWith(match[0]));
        if (!known.has(match[0]) && !asPrefix) unknown.push(`${file.slice(root.length + 1)}: ${match[0]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('should give every code a meaning and a hint that end like sentences', () => {
    for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
      expect(spec.meaning, code).toMatch(/[.)]$/);
      expect(spec.hint.length, code).toBeGreaterThan(5);
    }
  });
});

describe('JovianError', () => {
  it('should carry its code, the catalogue hint by default, and where', () => {
    const error = new JovianError('JOVIAN_E_PLUGIN_NOT_FOUND', 'no plugin `x`', {
      where: { file: 'a.yaml', line: 2, column: 3 },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('JOVIAN_E_PLUGIN_NOT_FOUND');
    expect(error.hint).toBe(ERROR_CATALOGUE.JOVIAN_E_PLUGIN_NOT_FOUND.hint);
    expect(formatError(errorToData(error))).toBe(
      `a.yaml:2:3: no plugin \`x\` [JOVIAN_E_PLUGIN_NOT_FOUND]\n  hint: ${error.hint}`,
    );
  });

  it('should cross a boundary as plain data and come back with its code, hint, place and cause', () => {
    const original = new JovianError('JOVIAN_E_CONFIG_INVALID', 'bad', {
      hint: 'fix it',
      where: { file: 'c.yaml', line: 1, column: 1 },
      cause: new TypeError('inner'),
    });
    const data = structuredClone(errorToData(original));
    const rebuilt = JovianError.fromData(data);
    expect(rebuilt).toMatchObject({
      code: 'JOVIAN_E_CONFIG_INVALID',
      message: 'bad',
      hint: 'fix it',
      where: { file: 'c.yaml' },
    });
    expect((rebuilt.cause as JovianError).name).toBe('TypeError');
    expect((rebuilt.cause as JovianError).message).toBe('inner');
  });

  it('should keep the string code of a foreign error and mark others unexpected', () => {
    const foreign = Object.assign(new Error('weather down'), { code: 'WEATHER_E_DOWN' });
    expect(errorToData(foreign).code).toBe('WEATHER_E_DOWN');
    expect(errorToData(new Error('x')).code).toBe('JOVIAN_E_UNEXPECTED');
    expect(errorToData('a string').message).toBe('non-error value thrown: "a string"');
  });

  it('should never report cancellation as a failure code', () => {
    expect(isCancellation(new CancelledError())).toBe(true);
    expect(isCancellation(new JovianError('JOVIAN_E_RUN_FAILED', 'x'))).toBe(false);
    expect(diagnostic('JOVIAN_E_RUN_FAILED', 'm').hint).toBe(ERROR_CATALOGUE.JOVIAN_E_RUN_FAILED.hint);
  });
});
