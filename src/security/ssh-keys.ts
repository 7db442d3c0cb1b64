import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { JovianError } from '../errors.js';
import { SshReader, sshStrings } from './ssh-wire.js';

/** Only Ed25519 keys are accepted: the key type Jovian signs and verifies with. */
export const ED25519 = 'ssh-ed25519';

/** An Ed25519 public key as OpenSSH writes it (`ssh-ed25519 AAAA…`). */
export interface SshPublicKey {
  /** The raw 32-byte key. */
  readonly raw: Buffer;
  /** The SSH wire blob: string "ssh-ed25519" + string raw. */
  readonly blob: Buffer;
  /** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  readonly key: KeyObject;
}

export interface SshPrivateKey {
  readonly publicKey: SshPublicKey;
  readonly key: KeyObject;
}

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

/** Builds a public key from its SSH wire blob; throws a plain Error when it is not Ed25519. */
export function publicKeyFromBlob(blob: Buffer): SshPublicKey {
  const reader = new SshReader(blob);
  const type = reader.text();
  if (type !== ED25519) throw new Error(`key type ${type} is not supported (only ${ED25519})`);
  const raw = reader.string();
  if (raw.length !== 32 || !reader.done) throw new Error('malformed ssh-ed25519 key');
  return publicKeyFromRaw(raw);
}

function publicKeyFromRaw(raw: Buffer): SshPublicKey {
  const blob = sshStrings(ED25519, raw);
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' });
  return { raw: Buffer.from(raw), blob, fingerprint, key };
}

const PRIVATE_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const PRIVATE_END = '-----END OPENSSH PRIVATE KEY-----';
const MAGIC = 'openssh-key-v1\0';

/**
 * Reads an unencrypted OpenSSH Ed25519 private key (what `ssh-keygen -t ed25519 -N ''` writes).
 * Encrypted keys are refused with a hint: node:crypto has no bcrypt-pbkdf.
 */
export function parseOpenSshPrivateKey(text: string, file: string): SshPrivateKey {
  const fail = (why: string): never => {
    throw new JovianError('JOVIAN_E_SIGNATURE_KEY_INVALID', `${file}: ${why}`);
  };
  const begin = text.indexOf(PRIVATE_BEGIN);
  const end = text.indexOf(PRIVATE_END);
  if (begin < 0 || end < begin) fail('not an OpenSSH private key (no BEGIN OPENSSH PRIVATE KEY block)');
  const body = Buffer.from(text.slice(begin + PRIVATE_BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  try {
    if (body.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) fail('bad OpenSSH key header');
    const reader = new SshReader(body.subarray(MAGIC.length));
    const cipher = reader.text();
    reader.string(); // kdf name
    reader.string(); // kdf options
    if (cipher !== 'none')
      fail(
        `the key is encrypted (${cipher}); use an unencrypted copy, or sign with ssh-keygen -Y sign -n jovian-plugin`,
      );
    if (reader.uint32() !== 1) fail('the file holds several keys; give a file with one');
    const publicKey = publicKeyFromBlob(reader.string());
    const secret = new SshReader(reader.string());
    const check = secret.uint32();
    if (check !== secret.uint32()) fail('corrupt private section');
    if (secret.text() !== ED25519) fail('not an Ed25519 key');
    const raw = secret.string();
    const both = secret.string();
    if (!raw.equals(publicKey.raw) || both.length !== 64) fail('corrupt Ed25519 private key');
    const key = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: b64url(both.subarray(0, 32)), x: b64url(raw) },
      format: 'jwk',
    });
    return { publicKey, key };
  } catch (error) {
    if (error instanceof JovianError) throw error;
    return fail((error as Error).message);
  }
}

/** Parses `ssh-ed25519 AAAA…` (the two fields of an authorized_keys / allowed_signers key). */
export function parseSshPublicKey(type: string, base64: string): SshPublicKey {
  if (type !== ED25519) throw new Error(`key type ${type} is not supported (only ${ED25519})`);
  const key = publicKeyFromBlob(Buffer.from(base64, 'base64'));
  return key;
}
