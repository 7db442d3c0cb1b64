import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { JovianError } from '../errors.js';
import {
  buildManifest,
  canonicalManifestBytes,
  MANIFEST_FILE,
  readPluginIdentity,
  SIGNATURE_FILE,
} from '../security/index.js';
import { writeFileAtomic } from '../util/index.js';
import { writeTarball } from './write-tarball.js';

export interface PackResult {
  readonly file: string;
  readonly id: string;
  readonly version: string;
  readonly files: number;
  readonly signed: boolean;
}

/**
 * `jovian plugins pack`: writes MANIFEST.json into the plugin folder, then `<id>-<version>.tgz` into
 * `outDir` (default: the current folder) holding MANIFEST.json first, plugin.sig if present, then the
 * files in MANIFEST.json order. A plugin.sig that signs an older MANIFEST.json is refused
 * (JOVIAN_E_SIGNATURE_STALE): sign again after packing, or delete it.
 */
export async function packPlugin(dir: string, outDir: string = process.cwd()): Promise<PackResult> {
  const root = resolve(dir);
  const { id, version } = await readPluginIdentity(root);
  const manifest = await buildManifest(root, id, version);
  const bytes = canonicalManifestBytes(manifest);
  const previous = await readFile(join(root, MANIFEST_FILE)).catch(() => undefined);
  const signature = await readFile(join(root, SIGNATURE_FILE)).catch(() => undefined);
  if (signature !== undefined && (previous === undefined || !previous.equals(bytes)))
    throw new JovianError(
      'JOVIAN_E_SIGNATURE_STALE',
      `${join(root, SIGNATURE_FILE)} signs another MANIFEST.json than the files now in ${root}`,
    );
  if (previous === undefined || !previous.equals(bytes))
    await writeFileAtomic(join(root, MANIFEST_FILE), bytes);
  await mkdir(outDir, { recursive: true });
  const file = join(resolve(outDir), `${id}-${version}.tgz`);
  const entries = [MANIFEST_FILE, ...(signature ? [SIGNATURE_FILE] : []), ...Object.keys(manifest.files)];
  await writeTarball(root, entries, file);
  return { file, id, version, files: Object.keys(manifest.files).length, signed: signature !== undefined };
}
