import type { ScaffoldSpec } from './scaffold-spec.js';
import { HELLO_ROUTE } from './scaffold-spec.js';

/**
 * index.js: plain ES module JavaScript, loaded as is by every Node runtime. Types come from JSDoc
 * (`jovian/sdk`), so an editor checks it without a build step, and nothing is imported at run time:
 * a plugin in the `process` runtime may read only its own folder.
 */
export function entryTemplate(spec: ScaffoldSpec): string {
  const command = spec.cli
    ? `
    await ctx.contributions.registerCommand('${spec.command}', (invocation) => {
      calls += 1;
      return greeting(invocation.args[0]);
    });`
    : '';
  const panel = spec.ui
    ? `
    await ctx.contributions.registerPanel('main', () => ({ message: greeting(), calls }));`
    : '';
  return `// @ts-check
/** @typedef {import('jovian/sdk').PluginDefinition} PluginDefinition */

let calls = 0;

/** @param {string} [name] */
function greeting(name = 'world') {
  return \`hello \${name}, from ${spec.id}\`;
}

/** @type {PluginDefinition} */
const plugin = {
  async activate(ctx) {
    ctx.logger.info('activated');
    await ctx.contributions.registerRoute('GET', '${HELLO_ROUTE}', (request) => {
      calls += 1;
      return { status: 200, body: { message: greeting(request.query.name) } };
    });${command}${panel}
  },
  health() {
    // Check what the plugin depends on (a connection, a file…) and answer quickly.
    return { status: 'ok' };
  },
  metrics() {
    return { calls };
  },
  run(input) {
    const { name } = /** @type {{ name?: string }} */ (input ?? {});
    return { message: greeting(name) };
  },
};

export default plugin;
`;
}
