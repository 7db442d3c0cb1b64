import { type ChatHooks, createChatHooks, createHost, type PluginHost } from '../../src/index.js';
import { AS_DECLARED, type Fixture } from './plugin-fixtures.js';

/**
 * A started host with the chat hooks over a fixture's plugins, each running where its manifest says
 * (no isolation floor), as the API tests serve it.
 */
export async function startChatHost(
  fixture: Fixture,
  options: { readonly developerMode?: boolean } = {},
): Promise<PluginHost<ChatHooks>> {
  const host = createHost({
    ...options,
    hooks: createChatHooks(),
    pluginDirs: [fixture.pluginsDir],
    dataDir: fixture.dataDir,
    manifestCache: false,
    isolation: AS_DECLARED,
  });
  await host.start();
  return host;
}
