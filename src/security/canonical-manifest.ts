import { join } from 'node:path';
import { JovianError } from '../errors.js';
import { compareUtf8, listPackageFiles, sha256File } from './package-files.js';
import { checkPackagePath } from './package-paths.js';

/** MANIFEST.json: the plugin's identity and the SHA-256 of every file it ships. */
export interface PackageManifest {
  readonly id: string;
  readonly version: string;
  /** Relative posix path → lowercase hex SHA-256. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * The canonical bytes of MANIFEST.json (what is signed): UTF-8 of
 * `{"id":<id>,"version":<version>,"files":{<path>:<sha256>,…}}` as JSON.stringify writes it — keys in
 * that order, `files` sorted by the UTF-8 bytes of the path, no whitespace, no trailing newline.
 */
export function canonicalManifestBytes(manifest: PackageManifest): Buffer {
  const files: Record<string, string> = {};
  for (const path of Object.keys(manifest.files).sort(compareUtf8))
    files[path] = manifest.files[path] as string;
  return Buffer.from(JSON.stringify({ id: manifest.id, version: manifest.version, files }), 'utf8');
}

/** Hashes the package files of a plugin folder (package-files.ts says which). */
export async function buildManifest(root: string, id: string, version: string): Promise<PackageManifest> {
  const files: Record<string, string> = {};
  for (const path of await listPackageFiles(root)) files[path] = await sha256File(join(root, path));
  return { id, version, files };
}

/**
 * Parses MANIFEST.json bytes and requires the canonical form, so that exactly one byte sequence
 * stands for one manifest. Throws JOVIAN_E_PACKAGE_MANIFEST_INVALID naming `file`.
 */
export function parseManifestBytes(bytes: Buffer, file: string): PackageManifest {
  const fail = (why: string): never => {
    throw new JovianError('JOVIAN_E_PACKAGE_MANIFEST_INVALID', `${file}: ${why}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  const v = value as Partial<PackageManifest> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('not a JSON object');
  if (typeof v.id !== 'string' || typeof v.version !== 'string') fail('`id` and `version` must be strings');
  if (typeof v.files !== 'object' || v.files === null || Array.isArray(v.files))
    fail('`files` must be an object');
  const files = v.files as Record<string, unknown>;
  for (const [path, hash] of Object.entries(files)) {
    checkPackagePath(path, file);
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))
      fail(`the hash of \`${path}\` is not a lowercase hex SHA-256`);
  }
  const manifest = {
    id: v.id as string,
    version: v.version as string,
    files: files as Record<string, string>,
  };
  if (!canonicalManifestBytes(manifest).equals(bytes))
    fail(
      `not in canonical form (keys id, version, files; files sorted; no whitespace) — run \`jovian plugins pack\``,
    );
  return manifest;
}
