/**
 * What a signature costs at load: `verifyPluginFolder` (the host's check of a signed plugin folder:
 * SSHSIG parse, Ed25519 verify, every file hashed and compared, no file unlisted) vs the raw floor of
 * the same work with node:crypto — read and SHA-256 every file, one Ed25519 verify — on a folder of
 * 60 files (~240 KiB). Goal: ≤ 1.5× raw.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signPlugin } from '../../../src/packaging/index.js';
import {
  listPackageFiles,
  parseSshsig,
  parseTrustStore,
  verifyPluginFolder,
} from '../../../src/security/index.js';
import { compare } from '../../lib/harness.js';

const root = mkdtempSync(join(tmpdir(), 'jovian-bench-verify-'));
const plugin = join(root, 'signed');
mkdirSync(join(plugin, 'lib'), { recursive: true });
writeFileSync(
  join(plugin, 'plugin.yaml'),
  'id: signed\ntype: tool\nversion: 1.0.0\nengines:\n  jovian: "*"\nmain: index.js\n',
);
writeFileSync(join(plugin, 'index.js'), 'export default { run: () => 1 };\n');
for (let i = 0; i < 58; i++)
  writeFileSync(join(plugin, 'lib', `part-${i}.js`), `// ${i}\n${'x'.repeat(4096)}\n`);
const key = join(root, 'key');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', key]);
await signPlugin(plugin, key);
const publicLine = readFileSync(`${key}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
const signers = parseTrustStore(`bench@example.org ${publicLine} trust=verified\n`, 'allowed_signers');

// The raw floor: the same bytes hashed and the same signature checked, with nothing around it.
const files = await listPackageFiles(plugin);
const signature = parseSshsig(readFileSync(join(plugin, 'plugin.sig'), 'utf8'), 'plugin.sig');
const publicKey = createPublicKey({
  key: { kty: 'OKP', crv: 'Ed25519', x: signature.publicKey.blob.subarray(19).toString('base64url') },
  format: 'jwk',
});
// Ed25519 verification costs the same whether the signature holds or not.
const rawSignature = Buffer.alloc(64);

async function raw(): Promise<void> {
  const manifest = await readFile(join(plugin, 'MANIFEST.json'));
  for (const file of files)
    createHash('sha256')
      .update(await readFile(join(plugin, file)))
      .digest('hex');
  verify(null, manifest, publicKey, rawSignature);
}

await compare({
  title: 'verify a signed plugin folder at load (60 files)',
  async: true,
  unit: 'µs/op',
  subjects: [
    { name: 'verifyPluginFolder', run: () => verifyPluginFolder(plugin, signers, { strict: true }) },
    { name: 'raw sha256 + Ed25519 verify', run: raw },
  ],
  goals: [{ subject: 'verifyPluginFolder', reference: 'raw sha256 + Ed25519 verify', maxRatio: 1.5 }],
});
rmSync(root, { recursive: true, force: true });
