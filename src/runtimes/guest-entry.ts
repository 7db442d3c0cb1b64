import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JovianError } from '../errors.js';

let root: string | undefined;

/**
 * The compiled guest entry of a runtime (`dist/runtimes/<kind>/guest/main.js`). Found from the package
 * root, so it works from the library, from the bundled CLI and from tests running the sources.
 * @throws JOVIAN_E_RUNTIME_UNAVAILABLE when Jovian has not been built.
 */
export function guestEntry(kind: 'worker' | 'process' | 'lua'): string {
  root ??= packageRoot(dirname(fileURLToPath(import.meta.url)));
  const entry = join(root, 'dist', 'runtimes', kind, 'guest', 'main.js');
  if (!existsSync(entry)) {
    throw new JovianError(
      'JOVIAN_E_RUNTIME_UNAVAILABLE',
      `the ${kind} runtime's guest (${entry}) is missing`,
      {
        hint: 'build Jovian first: npm run build',
      },
    );
  }
  return entry;
}

/** The folder of the jovian package (the nearest package.json named "jovian" above `from`). */
export function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'jovian') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir)
      throw new JovianError('JOVIAN_E_INTERNAL', `cannot find the jovian package above ${from}`);
  }
}
