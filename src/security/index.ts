export { type AccessDecision, permissionDenied } from './access-decision.js';
export {
  buildManifest,
  canonicalManifestBytes,
  type PackageManifest,
  parseManifestBytes,
} from './canonical-manifest.js';
export { checkPackageFiles } from './check-files.js';
export { decideCommand } from './command-decisions.js';
export { pluginContentHash } from './content-hash.js';
export { decideFsAccess, type FsRoots, grantPath, isPathInside } from './fs-decisions.js';
export {
  DEFAULT_ISOLATION_POLICY,
  ISOLATION_FLOORS,
  type IsolationFloor,
  type IsolationPolicy,
  type Placement,
  type PluginToPlace,
  placePlugin,
  raisedNote,
  TRUST_LEVELS,
  type TrustLevel,
} from './isolation-policy.js';
export { type LockablePlugin, lockEntryFor } from './lock-entry.js';
export {
  decideNetwork,
  formatNetworkTarget,
  isExplicitlyGranted,
  type NetworkTarget,
  networkTargetOf,
} from './network-decisions.js';
export { compareUtf8, listPackageFiles, sha256File } from './package-files.js';
export {
  checkPackagePath,
  EXCLUDED_DIRS,
  EXCLUDED_FILES,
  MANIFEST_FILE,
  SIGNATURE_FILE,
} from './package-paths.js';
export { type PluginIdentity, readPluginIdentity } from './plugin-identity.js';
export { isPrivateAddress } from './private-address.js';
export {
  ED25519,
  parseOpenSshPrivateKey,
  parseSshPublicKey,
  type SshPrivateKey,
  type SshPublicKey,
} from './ssh-keys.js';
export {
  type ParsedSshsig,
  PLUGIN_SIGNATURE_NAMESPACE,
  parseSshsig,
  sshsigSign,
  sshsigVerify,
} from './sshsig.js';
export { loadTrustStore, parseTrustStore, type SignerTrust, type TrustedSigner } from './trust-store.js';
export { type VerifiedPackage, verifyPluginFolder } from './verify-folder.js';
