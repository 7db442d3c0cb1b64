import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dataDirLayout } from '../config/index.js';
import { JovianError } from '../errors.js';

/** The largest package `POST /api/packages` takes. */
export const UPLOAD_CAP_BYTES = 128 * 1024 * 1024;
/** An upload kept for a second request (consent) is removed after this long. */
const KEPT_FOR_MS = 60 * 60 * 1000;
const REFERENCE = /^[0-9a-f]{32}$/;
const FILE_NAME = /^[A-Za-z0-9._@+-]+\.(tgz|tar\.gz|zip)$/;

/**
 * Package files sent to the API, under `<data-dir>/cache/uploads/<reference>/<file name>`: the name
 * keeps its extension (the installer reads `.tgz` and `.zip` by it). An upload is removed once
 * installed, or an hour later when nobody came back to consent.
 */
export class PackageUploads {
  readonly #root: string;

  constructor(dataDir: string) {
    this.#root = join(dataDirLayout(dataDir).cacheDir, 'uploads');
  }

  /**
   * Writes the bytes of `body` to a new upload; more than UPLOAD_CAP_BYTES is refused and nothing kept.
   * @throws JOVIAN_E_SERVER_BAD_REQUEST for a file name that is not a .tgz, .tar.gz or .zip;
   * JOVIAN_E_SERVER_UPLOAD_TOO_LARGE
   */
  async save(body: NodeJS.ReadableStream, fileName: string): Promise<{ reference: string; file: string }> {
    const name = basename(fileName);
    if (!FILE_NAME.test(name))
      throw new JovianError(
        'JOVIAN_E_SERVER_BAD_REQUEST',
        `\`${fileName}\` is not a package file name (.tgz, .tar.gz or .zip)`,
        { hint: 'send ?filename=<name>.tgz with the bytes, as `jovian plugins pack` names them' },
      );
    await this.#prune();
    const reference = randomBytes(16).toString('hex');
    const folder = join(this.#root, reference);
    await mkdir(folder, { recursive: true });
    const file = join(folder, name);
    let size = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > UPLOAD_CAP_BYTES)
          done(
            new JovianError(
              'JOVIAN_E_SERVER_UPLOAD_TOO_LARGE',
              `the package is larger than ${UPLOAD_CAP_BYTES / 1024 / 1024} MiB`,
            ),
          );
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, cap, createWriteStream(file));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    return { reference, file };
  }

  /** The file of a kept upload. @throws JOVIAN_E_SERVER_UPLOAD_UNKNOWN */
  async file(reference: string): Promise<string> {
    const names = REFERENCE.test(reference) ? await readdir(join(this.#root, reference)).catch(() => []) : [];
    if (names.length !== 1)
      throw new JovianError('JOVIAN_E_SERVER_UPLOAD_UNKNOWN', `no upload \`${reference}\` is kept`);
    return join(this.#root, reference, names[0]!);
  }

  async remove(reference: string): Promise<void> {
    if (REFERENCE.test(reference)) await rm(join(this.#root, reference), { recursive: true, force: true });
  }

  /** Removes uploads older than an hour. */
  async #prune(): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.#root).catch(() => [])) {
      const modified = await stat(join(this.#root, name)).then(
        (s) => s.mtimeMs,
        () => now,
      );
      if (now - modified > KEPT_FOR_MS) await rm(join(this.#root, name), { recursive: true, force: true });
    }
  }
}
