import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

/** Runs the project's dependency rules over a small tree and returns what depcruise reports. */
function cruise(dir: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        'src',
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'err-long',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { ok: true, output };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

describe('the layer rule (.dependency-cruiser.cjs)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jovian-layers-'));
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowJs: true },
      }),
    );
    for (const folder of ['util', 'host', 'manifest'])
      mkdirSync(join(dir, 'src', folder), { recursive: true });
    writeFileSync(join(dir, 'src', 'host', 'index.ts'), 'export const host = 1;\n');
    writeFileSync(join(dir, 'src', 'manifest', 'index.ts'), "export { parse } from './parse.js';\n");
    writeFileSync(join(dir, 'src', 'manifest', 'parse.ts'), 'export const parse = 1;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should accept imports that follow the layer order through doors', () => {
    writeFileSync(
      join(dir, 'src', 'host', 'uses-manifest.ts'),
      "import { parse } from '../manifest/index.js';\nexport const x = parse;\n",
    );
    expect(cruise(dir)).toMatchObject({ ok: true });
  });

  it('should refuse a lower layer importing a higher one, naming the allowed layers', () => {
    writeFileSync(
      join(dir, 'src', 'util', 'bad.ts'),
      "import { host } from '../host/index.js';\nexport const y = host;\n",
    );
    const result = cruise(dir);
    rmSync(join(dir, 'src', 'util', 'bad.ts'));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('layer-util');
    expect(result.output).toContain('src/util may import only: types.ts, errors.ts');
  });

  it('should refuse reaching into another folder behind its index.ts', () => {
    writeFileSync(
      join(dir, 'src', 'host', 'sneaky.ts'),
      "import { parse } from '../manifest/parse.js';\nexport const z = parse;\n",
    );
    const result = cruise(dir);
    rmSync(join(dir, 'src', 'host', 'sneaky.ts'));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('one-door-per-folder');
  });
});
