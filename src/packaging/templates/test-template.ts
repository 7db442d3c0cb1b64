import type { ScaffoldSpec } from './scaffold-spec.js';
import { HELLO_ROUTE } from './scaffold-spec.js';

/**
 * test/plugin.test.js: node:test and `jovian/testing` only, so `node --test` runs it wherever jovian
 * is installed, with no other package.
 */
export function testTemplate(spec: ScaffoldSpec): string {
  const command = spec.cli
    ? `
test('${spec.command} answers on the command line', async () => {
  await withHost(async (host) => {
    assert.match(String(await host.invokeCommand('${spec.command}', { args: ['Ada'], options: {} })), /hello Ada/);
  });
});
`
    : '';
  return `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestHost } from 'jovian/testing';
import plugin from '../index.js';

const folder = fileURLToPath(new URL('..', import.meta.url));

/** @param {(host: import('jovian').PluginHost) => Promise<void>} check */
async function withHost(check) {
  const { host, dispose } = await createTestHost({ plugins: [folder] });
  try {
    await check(host);
  } finally {
    await dispose();
  }
}

test('run answers with a greeting', async () => {
  await withHost(async (host) => {
    assert.deepEqual(await host.run('${spec.id}', { name: 'Ada' }), { message: 'hello Ada, from ${spec.id}' });
  });
});

test('GET ${HELLO_ROUTE} answers', async () => {
  await withHost(async (host) => {
    const answer = await host.invokeRoute('${spec.id}', {
      method: 'GET',
      path: '${HELLO_ROUTE}',
      params: {},
      query: { name: 'Ada' },
      body: null,
    });
    assert.match(JSON.stringify(answer), /hello Ada/);
  });
});
${command}
test('health is ok and metrics are numbers', async () => {
  assert.deepEqual(await plugin.health?.(), { status: 'ok' });
  assert.equal(typeof (await plugin.metrics?.())?.calls, 'number');
});
`;
}
