import { type TrustedSigner, type VerifiedPackage, verifyPluginFolder } from '../security/index.js';
import { withPackageFolder } from './package-source.js';

/** Verifies a plugin folder, or a .tgz/.tar/.zip package extracted into a temporary staging folder. */
export function verifyPackage(target: string, signers: readonly TrustedSigner[]): Promise<VerifiedPackage> {
  return withPackageFolder(target, (root, extracted) =>
    verifyPluginFolder(root, signers, { strict: extracted }),
  );
}
