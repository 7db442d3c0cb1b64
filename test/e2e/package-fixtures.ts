import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { packPlugin, signPlugin } from '../../src/packaging/index.js';
import { keyPart, sshKeygen } from '../unit/packaging/ssh-fixtures.js';

export interface PackageSpec {
  readonly id: string;
  readonly version: string;
  /** plugin.yaml `permissions`. */
  readonly permissions?: Record<string, unknown>;
  readonly dependencies?: readonly { id: string; version: string }[];
  /** The activate() body fails with this message. */
  readonly failActivation?: string;
  /** Leave the package unsigned. */
  readonly unsigned?: boolean;
}

/** A publisher: an Ed25519 key the data dir's trust store lists, and packages signed with it. */
export interface Publisher {
  /** A plugin that answers `GET /api/x/<id>/hello` with `{ id, version }`, packed (and signed) as .tgz. */
  pack(spec: PackageSpec): Promise<string>;
  /** Writes `<root>/catalog.json` listing these packages; returns its path. */
  catalog(files: readonly { id: string; version: string; file: string }[]): Promise<string>;
}

/** Makes the key, writes `<dataDir>/allowed_signers` (trust `official`) and returns the publisher. */
export async function publisher(root: string, dataDir: string): Promise<Publisher> {
  const { key, publicLine } = await sshKeygen(root, 'publisher');
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    join(dataDir, 'allowed_signers'),
    `dev@example.org namespaces="jovian-plugin" ${keyPart(publicLine)} trust=official\n`,
  );
  return {
    async pack(spec) {
      const folder = join(root, 'src', `${spec.id}-${spec.version}`);
      await mkdir(folder, { recursive: true });
      await writeFile(
        join(folder, 'plugin.yaml'),
        stringify({
          id: spec.id,
          type: 'tool',
          version: spec.version,
          engines: { jovian: '*' },
          main: 'index.js',
          runtime: 'process',
          ...(spec.permissions ? { permissions: spec.permissions } : {}),
          ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
          contributes: { routes: [{ method: 'GET', path: '/hello' }] },
        }),
      );
      const body = spec.failActivation
        ? `throw new Error(${JSON.stringify(spec.failActivation)});`
        : `await ctx.contributions.registerRoute('GET', '/hello', () => (${JSON.stringify({ id: spec.id, version: spec.version })}));`;
      await writeFile(join(folder, 'index.js'), `export default { async activate(ctx) { ${body} } };\n`);
      const packed = await packPlugin(folder, join(root, 'dist'));
      if (!spec.unsigned) await signPlugin(packed.file, key);
      return packed.file;
    },
    async catalog(files) {
      const plugins = await Promise.all(
        files.map(async ({ id, version, file }) => ({
          id,
          version,
          url: file,
          sha256: createHash('sha256')
            .update(await readFile(file))
            .digest('hex'),
        })),
      );
      const path = join(root, 'catalog.json');
      await writeFile(path, JSON.stringify({ plugins }));
      return path;
    },
  };
}
