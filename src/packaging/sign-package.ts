import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { JovianError } from '../errors.js';
import {
  buildManifest,
  canonicalManifestBytes,
  checkPackageFiles,
  MANIFEST_FILE,
  PLUGIN_SIGNATURE_NAMESPACE,
  parseManifestBytes,
  parseOpenSshPrivateKey,
  readPluginIdentity,
  SIGNATURE_FILE,
  sshsigSign,
} from '../security/index.js';
import { writeFileAtomic } from '../util/index.js';
import { withPackageFolder } from './package-source.js';
import { writeTarball } from './write-tarball.js';

export interface SignResult {
  readonly id: string;
  readonly version: string;
  readonly fingerprint: string;
  /** The plugin.sig written, or the archive rewritten with it. */
  readonly file: string;
}

/**
 * `jovian plugins sign`: signs MANIFEST.json with an OpenSSH Ed25519 private key and writes plugin.sig
 * beside it. For a folder, MANIFEST.json is first (re)written from the files; for a .tgz, its
 * MANIFEST.json must match its files, and the archive is rewritten with plugin.sig added (a .zip or
 * .tar gives `<id>-<version>.tgz` beside it).
 */
export async function signPlugin(target: string, keyFile: string): Promise<SignResult> {
  let keyText: string;
  try {
    keyText = await readFile(keyFile, 'utf8');
  } catch (error) {
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read key ${keyFile}`, { cause: error });
  }
  const key = parseOpenSshPrivateKey(keyText, keyFile);
  return withPackageFolder(target, async (root, extracted) => {
    const { id, version } = await readPluginIdentity(root);
    let bytes: Buffer;
    let files: string[];
    if (extracted) {
      bytes = await readFile(join(root, MANIFEST_FILE)).catch((error: unknown) => {
        throw new JovianError('JOVIAN_E_PACKAGE_MANIFEST_INVALID', `${target} holds no ${MANIFEST_FILE}`, {
          cause: error,
        });
      });
      const manifest = parseManifestBytes(bytes, `${target}:${MANIFEST_FILE}`);
      await checkPackageFiles(root, manifest, true);
      if (manifest.id !== id || manifest.version !== version)
        throw new JovianError(
          'JOVIAN_E_PACKAGE_IDENTITY_MISMATCH',
          `${target}: MANIFEST.json names ${manifest.id}@${manifest.version} but plugin.yaml declares ${id}@${version}`,
        );
      files = Object.keys(manifest.files);
    } else {
      const manifest = await buildManifest(root, id, version);
      bytes = canonicalManifestBytes(manifest);
      await writeFileAtomic(join(root, MANIFEST_FILE), bytes);
      files = Object.keys(manifest.files);
    }
    const signature = sshsigSign(bytes, key, PLUGIN_SIGNATURE_NAMESPACE);
    await writeFileAtomic(join(root, SIGNATURE_FILE), signature);
    // A .zip or .tar is not rewritten in another format under its own name: the signed package is a .tgz.
    const out = /\.tgz$/i.test(target)
      ? resolve(target)
      : join(dirname(resolve(target)), `${id}-${version}.tgz`);
    if (extracted) await writeTarball(root, [MANIFEST_FILE, SIGNATURE_FILE, ...files], out);
    return {
      id,
      version,
      fingerprint: key.publicKey.fingerprint,
      file: extracted ? out : join(root, SIGNATURE_FILE),
    };
  });
}
