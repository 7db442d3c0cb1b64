import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildManifest, canonicalManifestBytes } from '../../../src/security/index.js';

/** Generates an Ed25519 key pair with the real ssh-keygen; returns the private key file and public line. */
export async function sshKeygen(dir: string, name = 'key'): Promise<{ key: string; publicLine: string }> {
  const key = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  const publicLine = (await readFile(`${key}.pub`, 'utf8')).trim();
  return { key, publicLine };
}

/** The `ssh-ed25519 AAAA…` part of a .pub line. */
export const keyPart = (publicLine: string): string => publicLine.split(' ').slice(0, 2).join(' ');

/** `ssh-keygen -l` fingerprint of a public key file. */
export function sshFingerprint(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-f', pubFile], { encoding: 'utf8' }).split(' ')[1] as string;
}

/** A small plugin folder: plugin.yaml, index.js, lib/util.js. */
export async function writePlugin(dir: string, id = 'hello', version = '1.2.3'): Promise<string> {
  await mkdir(join(dir, 'lib'), { recursive: true });
  await writeFile(
    join(dir, 'plugin.yaml'),
    `id: ${id}\ntype: tool\nversion: ${version}\nengines:\n  jovian: "*"\nmain: index.js\n`,
  );
  await writeFile(join(dir, 'index.js'), 'export default { run: () => 42 };\n');
  await writeFile(join(dir, 'lib', 'util.js'), 'export const two = 2;\n');
  return dir;
}

/**
 * Writes the canonical MANIFEST.json of a plugin folder as `id@version` and signs it with the stock
 * `ssh-keygen -Y sign` in `namespace`, leaving the signature as plugin.sig.
 */
export async function signWithSshKeygen(
  plugin: string,
  key: string,
  options: { id?: string; version?: string; namespace?: string } = {},
): Promise<void> {
  const manifestFile = join(plugin, 'MANIFEST.json');
  await writeFile(
    manifestFile,
    canonicalManifestBytes(await buildManifest(plugin, options.id ?? 'hello', options.version ?? '1.2.3')),
  );
  execFileSync(
    'ssh-keygen',
    ['-Y', 'sign', '-n', options.namespace ?? 'jovian-plugin', '-f', key, manifestFile],
    {
      stdio: 'ignore',
    },
  );
  await writeFile(join(plugin, 'plugin.sig'), await readFile(`${manifestFile}.sig`));
  await rm(`${manifestFile}.sig`);
}
