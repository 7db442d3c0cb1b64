import { JovianError } from '../errors.js';

/** The signed file list of a package, at its root. */
export const MANIFEST_FILE = 'MANIFEST.json';
/** The SSHSIG signature of MANIFEST.json, at the package root. */
export const SIGNATURE_FILE = 'plugin.sig';

/**
 * Folders never packed nor signed, at any depth: version-control data and tool caches. node_modules
 * itself is packed (a plugin may ship its runtime dependencies); only its `.cache` is not.
 */
export const EXCLUDED_DIRS: readonly string[] = ['.git', '.hg', '.svn', 'node_modules/.cache'];
/** Files never packed nor signed, at any depth: desktop junk. */
export const EXCLUDED_FILES: readonly string[] = ['.DS_Store', 'Thumbs.db'];

/** True when the relative posix path is left out of packages (see EXCLUDED_DIRS / EXCLUDED_FILES). */
export function isExcluded(path: string): boolean {
  const segments = path.split('/');
  const name = segments[segments.length - 1] as string;
  if (EXCLUDED_FILES.includes(name)) return true;
  return EXCLUDED_DIRS.some((dir) => `/${path}/`.includes(`/${dir}/`));
}

/**
 * Checks that a path from an archive or a MANIFEST.json is a plain relative posix path: no leading
 * `/`, no drive letter, no backslash, no `.` or `..` or empty segment, no control character.
 * Throws JOVIAN_E_PACKAGE_BAD_PATH naming `origin` (the archive or file it came from).
 */
export function checkPackagePath(path: string, origin: string): void {
  const why =
    path === ''
      ? 'is empty'
      : path.startsWith('/') || /^[A-Za-z]:/.test(path)
        ? 'is absolute'
        : path.includes('\\')
          ? 'contains a backslash'
          : hasControlCharacter(path)
            ? 'contains a control character'
            : path.split('/').some((s) => s === '..')
              ? 'goes up with `..`'
              : path.split('/').some((s) => s === '' || s === '.')
                ? 'has an empty or `.` segment'
                : undefined;
  if (why !== undefined)
    throw new JovianError('JOVIAN_E_PACKAGE_BAD_PATH', `${origin}: entry \`${path}\` ${why}`);
}

function hasControlCharacter(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
