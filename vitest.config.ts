import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^jovian\/sdk$/, replacement: new URL('./src/sdk/index.ts', import.meta.url).pathname },
      {
        find: /^jovian\/testing$/,
        replacement: new URL('./src/sdk/testing/index.ts', import.meta.url).pathname,
      },
      { find: /^jovian$/, replacement: new URL('./src/index.ts', import.meta.url).pathname },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Plugins the tests write to temporary folders are imported by Node itself, as in a real host
    // (its module cache and resolve hooks: hot reload of an in-process plugin's own modules).
    server: { deps: { external: [/[/\\]jovian-fixture-[^/\\]+[/\\]/] } },
    reporters: ['default'],
  },
});
