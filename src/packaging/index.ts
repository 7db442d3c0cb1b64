export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive-limits.js';
export { type Catalog, type CatalogEntry, loadCatalog, newestInCatalog } from './catalog.js';
export { extractArchive } from './extract-archive.js';
export {
  type InstalledVersion,
  type InstallPlan,
  readFolderManifest,
  type TrustMode,
} from './install-plan.js';
export {
  type InstallOptions,
  type InstallOutcome,
  type InstallStep,
  installedVersion,
  installPlugin,
} from './install-plugin.js';
export { installedLayout } from './installed-layout.js';
export {
  type AvailableUpdate,
  type InstalledPackage,
  Installer,
  type InstallerHost,
  type InstallerSettings,
  type InstallRequest,
} from './installer.js';
export { type PackResult, packPlugin } from './pack.js';
export { withPackageFolder } from './package-source.js';
export { type PermissionChange, permissionChanges } from './permission-changes.js';
export {
  SCAFFOLD_RUNTIMES,
  SCAFFOLD_TYPES,
  type ScaffoldOptions,
  type ScaffoldResult,
  scaffoldPlugin,
} from './scaffold.js';
export { type SignResult, signPlugin } from './sign-package.js';
export { rollbackPlugin, uninstallPlugin } from './uninstall-plugin.js';
export { verifyPackage } from './verify-package.js';
