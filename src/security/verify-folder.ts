import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JovianError } from '../errors.js';
import { parseManifestBytes } from './canonical-manifest.js';
import { checkPackageFiles } from './check-files.js';
import { MANIFEST_FILE, SIGNATURE_FILE } from './package-paths.js';
import { readPluginIdentity } from './plugin-identity.js';
import { PLUGIN_SIGNATURE_NAMESPACE, parseSshsig, sshsigVerify } from './sshsig.js';
import type { SignerTrust, TrustedSigner } from './trust-store.js';

/** Who signed a package that verified, and the trust the trust store gives that key. */
export interface VerifiedPackage {
  readonly id: string;
  readonly version: string;
  /** The principal of the trust-store line. */
  readonly signer: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  readonly trust: SignerTrust;
}

async function readOrThrow(
  file: string,
  code: 'JOVIAN_E_PACKAGE_MANIFEST_INVALID' | 'JOVIAN_E_PACKAGE_UNSIGNED',
) {
  try {
    return await readFile(file);
  } catch (error) {
    throw new JovianError(code, `${file} is missing`, { cause: error });
  }
}

/**
 * Verifies a plugin folder (or an extracted package, with `strict`): plugin.sig is an SSHSIG of
 * MANIFEST.json's bytes in namespace `jovian-plugin` by a key of the trust store; MANIFEST.json is
 * canonical; the folder holds exactly its files with their hashes; its id and version are plugin.yaml's.
 * Throws the first failure as a JovianError naming the file or key.
 */
export async function verifyPluginFolder(
  root: string,
  signers: readonly TrustedSigner[],
  options: { strict?: boolean } = {},
): Promise<VerifiedPackage> {
  const manifestFile = join(root, MANIFEST_FILE);
  const sigFile = join(root, SIGNATURE_FILE);
  const bytes = await readOrThrow(manifestFile, 'JOVIAN_E_PACKAGE_MANIFEST_INVALID');
  const armored = await readOrThrow(sigFile, 'JOVIAN_E_PACKAGE_UNSIGNED');
  const signature = parseSshsig(armored.toString('utf8'), sigFile);
  if (signature.namespace !== PLUGIN_SIGNATURE_NAMESPACE)
    throw new JovianError(
      'JOVIAN_E_SIGNATURE_INVALID',
      `${sigFile} was made for namespace \`${signature.namespace}\`, not \`${PLUGIN_SIGNATURE_NAMESPACE}\``,
    );
  const fingerprint = signature.publicKey.fingerprint;
  const signer = signers.find((s) => s.publicKey.blob.equals(signature.publicKey.blob));
  if (!signer)
    throw new JovianError(
      'JOVIAN_E_SIGNATURE_UNKNOWN_KEY',
      `${sigFile} is signed by key ${fingerprint}, which the trust store does not list`,
    );
  if (!sshsigVerify(signature, bytes, PLUGIN_SIGNATURE_NAMESPACE))
    throw new JovianError(
      'JOVIAN_E_SIGNATURE_BAD',
      `${sigFile} does not match ${manifestFile} (key ${fingerprint} of ${signer.principal}): one of the two was changed`,
    );
  const manifest = parseManifestBytes(bytes, manifestFile);
  await checkPackageFiles(root, manifest, options.strict ?? false);
  const identity = await readPluginIdentity(root);
  if (identity.id !== manifest.id || identity.version !== manifest.version)
    throw new JovianError(
      'JOVIAN_E_PACKAGE_IDENTITY_MISMATCH',
      `${manifestFile} signs ${manifest.id}@${manifest.version} but plugin.yaml declares ${identity.id}@${identity.version}`,
    );
  return {
    id: manifest.id,
    version: manifest.version,
    signer: signer.principal,
    fingerprint,
    trust: signer.trust,
  };
}
