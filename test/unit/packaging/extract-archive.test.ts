import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ARCHIVE_LIMITS, extractArchive } from '../../../src/packaging/index.js';
import { type CraftedEntry, craftTgz, craftZip } from './craft-archives.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jovian-extract-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const formats = [
  ['tgz', craftTgz],
  ['zip', craftZip],
] as const;

describe('extractArchive', () => {
  for (const [format, craft] of formats) {
    describe(`(${format})`, () => {
      const refuse = async (entries: CraftedEntry[], code: string, named: string) => {
        const archive = join(dir, `bad.${format}`);
        await writeFile(archive, craft(entries));
        const staging = join(dir, 'out', 'staging');
        const error = await extractArchive(archive, staging).catch((e: unknown) => e);
        expect(error).toMatchObject({ code });
        expect((error as Error).message).toContain(named);
        expect(existsSync(join(dir, 'out'))).toBe(false);
        expect(existsSync(join(dir, 'evil'))).toBe(false);
        expect(existsSync(join(dir, 'out', 'evil'))).toBe(false);
      };
      const ok = { name: 'plugin.yaml', data: Buffer.from('id: a\n') };

      it('should write every file below the staging folder', async () => {
        const archive = join(dir, `good.${format}`);
        await writeFile(archive, craft([ok, { name: 'lib/index.js', data: Buffer.from('x') }]));
        const result = await extractArchive(archive, join(dir, 'staging'));
        expect(result.files.sort()).toEqual(['lib/index.js', 'plugin.yaml']);
        expect(await readFile(join(dir, 'staging', 'lib', 'index.js'), 'utf8')).toBe('x');
      });

      it('should refuse `..` and write nothing', async () => {
        await refuse(
          [ok, { name: '../../evil', data: Buffer.from('x') }],
          'JOVIAN_E_PACKAGE_BAD_PATH',
          '../../evil',
        );
      });

      it('should refuse an absolute path and write nothing', async () => {
        const target = join(dir, 'evil');
        await refuse([ok, { name: target, data: Buffer.from('x') }], 'JOVIAN_E_PACKAGE_BAD_PATH', target);
      });

      it('should refuse a symbolic link and write nothing', async () => {
        const link =
          format === 'tgz'
            ? { name: 'link', type: '2', linkname: '/etc/passwd' }
            : { name: 'link', data: Buffer.from('/etc/passwd'), mode: 0o120777 };
        await refuse([ok, link], 'JOVIAN_E_PACKAGE_LINK', 'link');
      });

      it('should refuse a compression bomb and write nothing', async () => {
        await refuse(
          [ok, { name: 'zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) }],
          'JOVIAN_E_PACKAGE_TOO_LARGE',
          format === 'zip' ? 'zeros.bin' : 'expands more than',
        );
      });

      it('should refuse more entries than the cap', async () => {
        const archive = join(dir, `many.${format}`);
        await writeFile(archive, craft([ok, { name: 'b', data: Buffer.from('b') }]));
        await expect(
          extractArchive(archive, join(dir, 'staging'), { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: 1 }),
        ).rejects.toMatchObject({ code: 'JOVIAN_E_PACKAGE_TOO_LARGE' });
        expect(existsSync(join(dir, 'staging'))).toBe(false);
      });

      it('should refuse a file above the per-file cap, naming it', async () => {
        const archive = join(dir, `big.${format}`);
        await writeFile(archive, craft([ok, { name: 'big.bin', data: Buffer.alloc(2048, 1) }]));
        await expect(
          extractArchive(archive, join(dir, 'staging'), { ...DEFAULT_ARCHIVE_LIMITS, maxFileBytes: 1024 }),
        ).rejects.toThrow(/big\.bin/);
      });
    });
  }

  it('should refuse hard links and device files in a tarball', async () => {
    for (const entry of [
      { name: 'hard', type: '1', linkname: 'plugin.yaml' },
      { name: 'dev', type: '3' },
    ]) {
      const archive = join(dir, 'x.tgz');
      await writeFile(archive, craftTgz([entry]));
      await expect(extractArchive(archive, join(dir, 'staging'))).rejects.toMatchObject({
        code: entry.type === '1' ? 'JOVIAN_E_PACKAGE_LINK' : 'JOVIAN_E_PACKAGE_SPECIAL_FILE',
      });
      expect(existsSync(join(dir, 'staging'))).toBe(false);
    }
  });

  it('should stop inflating a tarball at the total cap', async () => {
    const archive = join(dir, 'x.tgz');
    const noise = randomBytes(3 * 1024 * 1024);
    await writeFile(archive, craftTgz([{ name: 'noise.bin', data: noise }]));
    await expect(
      extractArchive(archive, join(dir, 'staging'), {
        ...DEFAULT_ARCHIVE_LIMITS,
        maxTotalBytes: 1024 * 1024,
      }),
    ).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_TOO_LARGE',
      message: expect.stringContaining('inflates to more than'),
    });
    expect(existsSync(join(dir, 'staging'))).toBe(false);
  });

  it('should refuse a path that is both a file and a folder, writing nothing', async () => {
    const archive = join(dir, 'x.zip');
    await writeFile(
      archive,
      craftZip([
        { name: 'a', data: Buffer.from('1') },
        { name: 'a/b', data: Buffer.from('2') },
      ]),
    );
    await expect(extractArchive(archive, join(dir, 'staging'))).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_BAD_PATH',
      message: expect.stringContaining('a/b'),
    });
    expect(existsSync(join(dir, 'staging'))).toBe(false);
  });

  it('should refuse a file that is not an archive', async () => {
    const archive = join(dir, 'x.tgz');
    await writeFile(archive, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(extractArchive(archive, join(dir, 'staging'))).rejects.toMatchObject({
      code: 'JOVIAN_E_PACKAGE_ARCHIVE_INVALID',
    });
  });
});
