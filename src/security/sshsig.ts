import { createHash, sign, verify } from 'node:crypto';
import { JovianError } from '../errors.js';
import { publicKeyFromBlob, type SshPrivateKey, type SshPublicKey } from './ssh-keys.js';
import { SshReader, sshStrings, sshUint32 } from './ssh-wire.js';

/**
 * OpenSSH SSHSIG signatures (PROTOCOL.sshsig in OpenSSH), Ed25519 only, hash sha512 — the format of
 * `ssh-keygen -Y sign`. Only node:crypto is used.
 */

/** The namespace Jovian signs plugin manifests in (`ssh-keygen -Y sign -n jovian-plugin`). */
export const PLUGIN_SIGNATURE_NAMESPACE = 'jovian-plugin';

const MAGIC = 'SSHSIG';
const VERSION = 1;
const HASH = 'sha512';
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';

function signedData(namespace: string, hashAlgorithm: string, message: Uint8Array): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([Buffer.from(MAGIC), sshStrings(namespace, '', hashAlgorithm, digest)]);
}

/** Signs `message` and returns the armored signature, as `ssh-keygen -Y sign` writes it. */
export function sshsigSign(message: Uint8Array, key: SshPrivateKey, namespace: string): string {
  const signature = sign(null, signedData(namespace, HASH, message), key.key);
  const blob = Buffer.concat([
    Buffer.from(MAGIC),
    sshUint32(VERSION),
    sshStrings(key.publicKey.blob, namespace, '', HASH, sshStrings('ssh-ed25519', signature)),
  ]);
  const lines = blob.toString('base64').match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

/** A decoded SSHSIG signature. */
export interface ParsedSshsig {
  readonly publicKey: SshPublicKey;
  readonly namespace: string;
  readonly hashAlgorithm: string;
  readonly signature: Buffer;
}

/** Decodes an armored SSHSIG signature; `file` names it in errors. */
export function parseSshsig(armored: string, file: string): ParsedSshsig {
  const fail = (why: string): never => {
    throw new JovianError('JOVIAN_E_SIGNATURE_INVALID', `${file}: ${why}`);
  };
  const begin = armored.indexOf(BEGIN);
  const end = armored.indexOf(END);
  if (begin < 0 || end < begin) fail('not an SSH signature (no BEGIN SSH SIGNATURE block)');
  const blob = Buffer.from(armored.slice(begin + BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  try {
    if (blob.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) fail('bad SSHSIG magic');
    const reader = new SshReader(blob.subarray(MAGIC.length));
    const version = reader.uint32();
    if (version !== VERSION) fail(`SSHSIG version ${version} is not supported`);
    const publicKey = publicKeyFromBlob(reader.string());
    const namespace = reader.text();
    reader.string(); // reserved
    const hashAlgorithm = reader.text();
    if (hashAlgorithm !== 'sha512' && hashAlgorithm !== 'sha256')
      fail(`hash algorithm ${hashAlgorithm} is not supported`);
    const inner = new SshReader(reader.string());
    const type = inner.text();
    if (type !== 'ssh-ed25519') fail(`signature type ${type} is not supported (only ssh-ed25519)`);
    const signature = inner.string();
    if (signature.length !== 64) fail('malformed Ed25519 signature');
    return { publicKey, namespace, hashAlgorithm, signature };
  } catch (error) {
    if (error instanceof JovianError) throw error;
    return fail((error as Error).message);
  }
}

/** True when `parsed` is a valid signature of `message` in `namespace` by its embedded key. */
export function sshsigVerify(parsed: ParsedSshsig, message: Uint8Array, namespace: string): boolean {
  if (parsed.namespace !== namespace) return false;
  return verify(
    null,
    signedData(namespace, parsed.hashAlgorithm, message),
    parsed.publicKey.key,
    parsed.signature,
  );
}
