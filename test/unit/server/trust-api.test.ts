/**
 * The API tells who signed a plugin: trust, signature details and the "dev / unsigned" flag, in answers
 * that fit the schemas /api/docs publishes.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatHooks, createChatHooks, createHost, type PluginHost } from '../../../src/index.js';
import {
  type ApiPluginDetails,
  type ApiPluginSummary,
  createServer,
  type JovianServer,
} from '../../../src/server/index.js';
import { schemaProblems } from '../../helpers/api-schema-fit.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';
import { signFolder, type TrustedKey, trustedKey, writeTrustStore } from '../../helpers/signed-plugins.js';

const fits = schemaProblems;

describe('trust in the HTTP API', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  let key: TrustedKey;
  let signedDir: string;
  const get = async (url: string) => {
    const answer = await server.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${server.token}` },
    });
    return answer.json() as unknown;
  };

  beforeAll(async () => {
    fixture = await createFixture();
    key = await trustedKey(fixture.root, 'alice@example.org', 'verified');
    await mkdir(fixture.dataDir, { recursive: true });
    await writeTrustStore(fixture.dataDir, [key]);
    await writeFile(
      join(fixture.dataDir, 'jovian.yaml'),
      'security:\n  mode: strict\n  allow_unsigned_local_plugins: true\n',
    );
    signedDir = await fixture.add('signed');
    await signFolder(signedDir, key);
    await fixture.add('local');
    host = createHost({
      hooks: createChatHooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
    });
    await host.start();
    server = await createServer({ host });
  });
  afterAll(async () => {
    await server?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should give the signer, the key’s fingerprint and the signature’s date of a verified plugin', async () => {
    const details = (await get('/api/plugins/signed')) as ApiPluginDetails;
    expect(fits('ApiPluginDetails', details)).toEqual([]);
    expect(details).toMatchObject({
      trust: 'verified',
      dev_unsigned: false,
      runtime: 'inprocess',
      signature: {
        signer: 'alice@example.org',
        fingerprint: key.fingerprint,
        date: (await stat(join(signedDir, 'plugin.sig'))).mtime.toISOString(),
      },
    });
  });

  it('should list each plugin’s trust, flagging an unsigned plugin strict mode lets in', async () => {
    const list = (await get('/api/plugins')) as { plugins: ApiPluginSummary[] };
    expect(fits('ApiPluginList', list)).toEqual([]);
    const byId = Object.fromEntries(list.plugins.map((p) => [p.id, p]));
    expect(byId.signed).toMatchObject({ trust: 'verified', signature: { signer: 'alice@example.org' } });
    expect(byId.local).toMatchObject({ trust: 'unsigned', signature: null, dev_unsigned: true });
  });
});
