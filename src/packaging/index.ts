export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive-limits.js';
export { extractArchive } from './extract-archive.js';
export { type PackResult, packPlugin } from './pack.js';
export { withPackageFolder } from './package-source.js';
export {
  SCAFFOLD_RUNTIMES,
  SCAFFOLD_TYPES,
  type ScaffoldOptions,
  type ScaffoldResult,
  scaffoldPlugin,
} from './scaffold.js';
export { type SignResult, signPlugin } from './sign-package.js';
export { verifyPackage } from './verify-package.js';
