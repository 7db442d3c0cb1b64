export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive-limits.js';
export {
  buildManifest,
  canonicalManifestBytes,
  type PackageManifest,
  parseManifestBytes,
} from './canonical-manifest.js';
export { extractArchive } from './extract-archive.js';
export { type PackResult, packPlugin } from './pack.js';
export { listPackageFiles } from './package-files.js';
export { EXCLUDED_DIRS, EXCLUDED_FILES, MANIFEST_FILE, SIGNATURE_FILE } from './package-paths.js';
export { withPackageFolder } from './package-source.js';
export {
  SCAFFOLD_RUNTIMES,
  SCAFFOLD_TYPES,
  type ScaffoldOptions,
  type ScaffoldResult,
  scaffoldPlugin,
} from './scaffold.js';
export { type SignResult, signPlugin } from './sign-package.js';
export { type VerifiedPackage, verifyPackage, verifyPluginFolder } from './verify-package.js';
