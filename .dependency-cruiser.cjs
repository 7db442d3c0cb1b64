/**
 * Layer order of ARCHITECTURE.md: a module may import only the layers listed before its own.
 * `src/index.ts` is the library door and may re-export any layer. Folders on one row are peers and
 * do not import each other. Guest code (`runtimes/<kind>/guest/`) runs inside an isolate and may import
 * only the RPC protocol, `types.ts` and `errors.ts`.
 */
const LAYERS = [
  ['types.ts'],
  ['errors.ts'],
  ['util'],
  ['manifest'],
  ['graph'],
  ['config'],
  ['security'],
  ['observability'],
  ['hooks', 'events', 'jobs'],
  ['runtimes'],
  ['bridge'],
  ['host'],
  ['packaging'],
  ['sdk'],
  ['server'],
  ['cli'],
];

const esc = (s) => s.replace(/[.]/g, '\\.');
const pathOf = (name) => (name.endsWith('.ts') ? `^src/${esc(name)}$` : `^src/${name}/`);

const layerRules = LAYERS.map((row, index) => {
  const allowed = LAYERS.slice(0, index).flat();
  const forbidden = LAYERS.slice(index).flat();
  return {
    name: `layer-${row.join('-').replace(/\.ts$/, '')}`,
    comment: `src/${row.join(', src/')} may import only: ${allowed.length ? allowed.join(', ') : 'nothing'} (layer order of ARCHITECTURE.md)`,
    severity: 'error',
    from: { path: row.map(pathOf), pathNot: '^src/runtimes/[^/]+/guest/' },
    to: {
      path: forbidden.map(pathOf),
      pathNot: row
        .map(pathOf)
        .map((p) => `${p}`)
        .concat(['^src/runtimes/[^/]+/guest/']),
    },
  };
});

// Same-row folders are peers: hooks, events and jobs do not import one another.
const peerRules = LAYERS.filter((row) => row.length > 1).flatMap((row) =>
  row.map((name) => ({
    name: `peer-${name}`,
    comment: `src/${name} must not import its peers (${row.filter((n) => n !== name).join(', ')})`,
    severity: 'error',
    from: { path: pathOf(name) },
    to: { path: row.filter((n) => n !== name).map(pathOf) },
  })),
);

module.exports = {
  forbidden: [
    ...layerRules,
    ...peerRules,
    {
      name: 'one-door-per-folder',
      comment: 'another folder is reached only through its index.ts (its only public door)',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/[^/]+/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'guest-imports-protocol-only',
      comment:
        'guest code runs inside an isolate: it may import only src/runtimes/rpc, src/types.ts and src/errors.ts',
      severity: 'error',
      from: { path: '^src/runtimes/[^/]+/guest/' },
      to: {
        pathNot: [
          '^src/runtimes/rpc/',
          '^src/types\\.ts$',
          '^src/errors\\.ts$',
          '^src/runtimes/([^/]+)/guest/',
        ],
        // Node built-ins and packages (wasmoon for Lua) never reach into the host.
        dependencyTypesNot: ['core', 'npm'],
      },
    },
    {
      name: 'web-speaks-http-only',
      comment:
        'web/ runs in the browser and reaches the host over HTTP and WebSocket only: from src/ it may import the API types (src/server/api-types.ts, which imports only src/types.ts)',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/server/api-types\\.ts$', '^src/types\\.ts$'] },
    },
    {
      name: 'host-does-not-import-web',
      comment: 'the host serves the built WebUI (dist/web) as files; it never imports its sources',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-circular',
      comment: 'circular imports make load order fragile',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.json'],
    },
  },
};
