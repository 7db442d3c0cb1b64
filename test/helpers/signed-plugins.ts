import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signPlugin } from '../../src/packaging/index.js';
import { keyPart, sshFingerprint, sshKeygen } from '../unit/packaging/ssh-fixtures.js';

/** A signing key made by the real ssh-keygen, listed in a trust store with a trust level. */
export interface TrustedKey {
  /** The private key file. */
  readonly key: string;
  readonly principal: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** The allowed_signers line that trusts it. */
  readonly line: string;
}

/** Makes a key in `dir` whose trust-store line grants `trust` to `principal`. */
export async function trustedKey(
  dir: string,
  principal: string,
  trust: 'official' | 'verified' | 'community',
): Promise<TrustedKey> {
  const name = principal.replace(/[^a-z0-9]/gi, '_');
  const pair = await sshKeygen(dir, name);
  return {
    key: pair.key,
    principal,
    fingerprint: sshFingerprint(`${pair.key}.pub`),
    line: `${principal} namespaces="jovian-plugin" ${keyPart(pair.publicLine)} trust=${trust}`,
  };
}

/** Writes `<dataDir>/allowed_signers` (the host's default trust store) listing these keys. */
export async function writeTrustStore(dataDir: string, keys: readonly TrustedKey[]): Promise<string> {
  const file = join(dataDir, 'allowed_signers');
  await writeFile(file, `${keys.map((k) => k.line).join('\n')}\n`);
  return file;
}

/** Packs and signs a plugin folder in place (MANIFEST.json + plugin.sig), as `jovian plugins sign` does. */
export async function signFolder(dir: string, key: TrustedKey): Promise<void> {
  await signPlugin(dir, key.key);
}
