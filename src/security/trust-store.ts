import { readFile } from 'node:fs/promises';
import { JovianError } from '../errors.js';
import type { TrustLevel } from './isolation-policy.js';
import { parseSshPublicKey, type SshPublicKey } from './ssh-keys.js';
import { PLUGIN_SIGNATURE_NAMESPACE } from './sshsig.js';

/** Trust a signer's key grants; `unsigned` is what a package without a signature gets. */
export type SignerTrust = Exclude<TrustLevel, 'unsigned'>;

/** One key of the trust store. */
export interface TrustedSigner {
  readonly principal: string;
  readonly publicKey: SshPublicKey;
  readonly trust: SignerTrust;
  /** `file:line` of its line. */
  readonly where: string;
}

const TRUSTS: readonly SignerTrust[] = ['official', 'verified', 'community'];

/**
 * Reads a trust store: OpenSSH's allowed_signers format (`ssh-keygen -Y verify -f` reads the same
 * file), with the trust level in the comment after the key:
 *
 *     alice@example.org namespaces="jovian-plugin" ssh-ed25519 AAAA… trust=official
 *
 * Blank lines and `#` lines are skipped. A line without `trust=` grants `community`. A line whose
 * `namespaces="…"` does not include `jovian-plugin` is ignored (the key signs other things).
 * Only `ssh-ed25519` keys are accepted; `cert-authority` lines are refused.
 */
export function parseTrustStore(text: string, file: string): TrustedSigner[] {
  const signers: TrustedSigner[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const signer = parseLine(line, `${file}:${index + 1}`);
    if (signer) signers.push(signer);
  }
  return signers;
}

function parseLine(line: string, where: string): TrustedSigner | undefined {
  const fail = (why: string): never => {
    throw new JovianError('JOVIAN_E_TRUST_STORE_INVALID', `${where}: ${why}`);
  };
  const fields = line.split(/\s+/);
  const keyAt = fields.findIndex((f) => /^(ssh-|ecdsa-|sk-)/.test(f));
  if (keyAt < 1 || keyAt > 2 || fields[keyAt + 1] === undefined)
    fail('expected `<principal> [options] ssh-ed25519 <base64 key> [trust=<level>]`');
  const principal = fields[0] as string;
  const options = keyAt === 2 ? (fields[1] as string) : '';
  if (/(^|,)cert-authority(,|$)/.test(options)) fail('cert-authority keys are not supported');
  const namespaces = /(?:^|,)namespaces="([^"]*)"/.exec(options)?.[1];
  if (namespaces !== undefined && !namespaces.split(',').includes(PLUGIN_SIGNATURE_NAMESPACE))
    return undefined;
  let publicKey: SshPublicKey | undefined;
  try {
    publicKey = parseSshPublicKey(fields[keyAt] as string, fields[keyAt + 1] as string);
  } catch (error) {
    fail((error as Error).message);
  }
  const trustField = fields.slice(keyAt + 2).find((f) => f.startsWith('trust='));
  const trust = (trustField?.slice('trust='.length) ?? 'community') as SignerTrust;
  if (!TRUSTS.includes(trust)) fail(`trust must be one of ${TRUSTS.join(', ')}, not \`${trust}\``);
  return { principal, publicKey: publicKey as SshPublicKey, trust, where };
}

/** Reads the trust store file; a missing file is an empty store (every signer unknown). */
export async function loadTrustStore(file: string): Promise<TrustedSigner[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read trust store ${file}`, { cause: error });
  }
  return parseTrustStore(text, file);
}
