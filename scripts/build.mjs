/**
 * `npm run build`:
 * 1. tsc → dist/ (the library, its types and the sdk);
 * 2. esbuild → dist/cli/jovian.js (+ chunks loaded on demand): the CLI bundled, so `jovian` starts by
 *    reading one module instead of hundreds;
 * 3. esbuild → dist/runtimes/{worker,process,lua}/guest/main.js: the guest side of isolated plugins bundled
 *    into one module each, so a worker or child process starts by reading one file, not a dozen;
 * 4. esbuild → examples/plugins/<id>/dist/index.js for each TypeScript example plugin (with the sdk
 *    bundled in, as a plugin author's build would do);
 * 5. Vite → dist/web/: the WebUI that `jovian serve` serves (index.html, hashed files in assets/).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'esbuild';
import { build as buildWeb } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

await build({
  entryPoints: { jovian: join(root, 'src', 'cli', 'main.ts') },
  outdir: join(root, 'dist', 'cli'),
  // Code that only some commands need (the JSON Schema compiler, the log writer) goes to chunks
  // loaded on first use, so `jovian plugins list` compiles less at start-up.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  // wasmoon finds its WebAssembly file next to its own module, and better-sqlite3 its compiled addon:
  // they stay in node_modules.
  external: ['wasmoon', 'better-sqlite3'],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // CommonJS dependencies bundled into an ES module need `require`.
  banner: {
    js: "import { createRequire as __jovianRequire } from 'node:module'; const require = __jovianRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

await Promise.all(
  ['worker', 'process', 'lua'].map((kind) =>
    build({
      entryPoints: [join(root, 'src', 'runtimes', kind, 'guest', 'main.ts')],
      outfile: join(root, 'dist', 'runtimes', kind, 'guest', 'main.js'),
      allowOverwrite: true,
      bundle: true,
      // wasmoon finds its WebAssembly file next to its own module: it stays in node_modules.
      external: ['wasmoon'],
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
);

const examples = join(root, 'examples', 'plugins');
const entries = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'src', 'index.ts')))
  .map((d) => d.name);
await Promise.all(
  entries.map((name) =>
    build({
      entryPoints: [join(examples, name, 'src', 'index.ts')],
      outfile: join(examples, name, 'dist', 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      alias: { 'jovian/sdk': join(root, 'src', 'sdk', 'index.ts') },
      logLevel: 'warning',
    }),
  ),
);
// The WebUI: absolute asset URLs (`base: '/'`), since client-side routes such as /plugins/<id> serve
// the same index.html. No config file: this call is the one place its build is described.
await buildWeb({
  configFile: false,
  root: join(root, 'web'),
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: join(root, 'dist', 'web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // A warning, not a limit: the bundle is React and the UI's own code, and should stay well under.
    chunkSizeWarningLimit: 300,
  },
});

console.log(
  `built dist/ (with the WebUI) and ${entries.length} example plugins in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
