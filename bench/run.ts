/**
 * `npm run bench`: bundles each bench/cases/<case>/case.ts with esbuild (as the shipped CLI is built:
 * native class fields, no transpiler in the loop), runs it in its own Node process, and lets each case
 * print Jovian and its peers side by side with their ratios. Name cases on the command line to run
 * only those.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const work = join(here, '.work');
mkdirSync(work, { recursive: true });
const wanted = process.argv.slice(2);
const cases = readdirSync(join(here, 'cases'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, 'cases', d.name, 'case.ts')))
  .map((d) => d.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

let failed = 0;
for (const name of cases) {
  console.log(`\n=== ${name} ===`);
  const outfile = join(work, `${name}.mjs`);
  await build({
    entryPoints: [join(here, 'cases', name, 'case.ts')],
    outfile,
    bundle: true,
    // wasmoon finds its WebAssembly file next to its own module (through `__filename`, which an ES
    // module bundle lacks): it stays in node_modules, as in the Lua guest (scripts/build.mjs).
    external: ['wasmoon'],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    define: { 'import.meta.dirname': JSON.stringify(join(here, 'cases', name)) },
  });
  const result = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    failed++;
    console.log(`case ${name} exited with ${result.status}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
