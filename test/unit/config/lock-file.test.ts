import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type LockEntry,
  lockDrifts,
  lockFileFor,
  readLockFile,
  writeLockEntry,
} from '../../../src/config/index.js';
import { JovianError } from '../../../src/errors.js';

const HASH = `sha256:${'a'.repeat(64)}`;
const NONE = { fs_read: false, fs_write: false, run_commands: false, network_outbound: false };
const entry = (more: Partial<LockEntry> = {}): LockEntry => ({
  version: '1.0.0',
  hash: HASH,
  permissions: NONE,
  enabled: true,
  ...more,
});

async function failure(promise: Promise<unknown>): Promise<JovianError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JovianError);
  return error as JovianError;
}

describe('jovian.lock', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jovian-lock-'));
    file = join(dir, 'jovian.lock');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('#lockFileFor', () => {
    it('should sit next to the project file when there is one, else in the data directory', () => {
      expect(lockFileFor({ dataDir: '/data' })).toBe(join('/data', 'jovian.lock'));
      expect(lockFileFor({ dataDir: '/data', projectFile: '/srv/site/site.jovian.yaml' })).toBe(
        join('/srv/site', 'jovian.lock'),
      );
    });
  });

  describe('#writeLockEntry', () => {
    it('should create the file with sorted keys, 2-space indent and a trailing newline', async () => {
      await writeLockEntry(file, 'zeta', entry({ permissions: { ...NONE, fs_read: ['/b', '/a'] } }));
      await writeLockEntry(file, 'alpha', entry({ enabled: false }));
      const text = await readFile(file, 'utf8');
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).toBe(
        `${JSON.stringify(
          {
            lockfile_version: 1,
            plugins: {
              alpha: {
                enabled: false,
                hash: HASH,
                permissions: {
                  fs_read: false,
                  fs_write: false,
                  network_outbound: false,
                  run_commands: false,
                },
                version: '1.0.0',
              },
              zeta: {
                enabled: true,
                hash: HASH,
                permissions: {
                  fs_read: ['/a', '/b'],
                  fs_write: false,
                  network_outbound: false,
                  run_commands: false,
                },
                version: '1.0.0',
              },
            },
          },
          null,
          2,
        )}\n`,
      );
    });

    it('should keep the other entries, with their source, trust and signer, and remove one given undefined', async () => {
      await writeLockEntry(
        file,
        'signed',
        entry({
          source: 'https://example.org/signed-1.0.0.tgz',
          trust: 'verified',
          signer: 'team@example.org',
        }),
      );
      await writeLockEntry(file, 'other', entry());
      await writeLockEntry(file, 'other', undefined);
      const lock = await readLockFile(file);
      expect(Object.keys(lock!.plugins)).toEqual(['signed']);
      expect(lock!.plugins.signed).toMatchObject({
        source: 'https://example.org/signed-1.0.0.tgz',
        trust: 'verified',
        signer: 'team@example.org',
      });
    });
  });

  describe('#readLockFile', () => {
    it('should give undefined when there is no lock', async () => {
      expect(await readLockFile(file)).toBeUndefined();
    });

    it('should name the file, line and column of JSON that does not parse, with a hint', async () => {
      await writeFile(file, '{\n  "lockfile_version": 1,\n  "plugins": {,}\n}\n');
      const error = await failure(readLockFile(file));
      expect(error.code).toBe('JOVIAN_E_LOCK_INVALID');
      expect(error.message).toContain(file);
      expect(error.where).toEqual({ file, line: 3, column: 15 });
      expect(error.hint).toMatch(/jovian plugins lock/);
    });

    it('should refuse a lockfile_version it does not read', async () => {
      await writeFile(file, JSON.stringify({ lockfile_version: 2, plugins: {} }));
      const error = await failure(readLockFile(file));
      expect(error.code).toBe('JOVIAN_E_LOCK_VERSION_UNSUPPORTED');
      expect(error.message).toContain('lockfile_version 2');
    });

    it('should name the field of an entry that is wrong', async () => {
      await writeFile(
        file,
        JSON.stringify({ lockfile_version: 1, plugins: { hello: { ...entry(), hash: 'md5:abc' } } }),
      );
      const error = await failure(readLockFile(file));
      expect(error.code).toBe('JOVIAN_E_LOCK_INVALID');
      expect(error.message).toContain('`plugins.hello.hash`');
    });

    it('should refuse an entry whose key is not a plugin id', async () => {
      await writeFile(file, '{"lockfile_version":1,"plugins":{"__proto__":{}}}');
      expect((await failure(readLockFile(file))).code).toBe('JOVIAN_E_LOCK_INVALID');
    });
  });

  describe('#lockDrifts', () => {
    it('should name each difference in words', () => {
      const now = entry({
        version: '1.1.0',
        hash: `sha256:${'b'.repeat(64)}`,
        permissions: { ...NONE, network_outbound: true, fs_read: ['/x'] },
        enabled: false,
      });
      expect(
        lockDrifts(entry({ permissions: { ...NONE, fs_read: ['/x', '/y'] } }), now).map((d) => d.message),
      ).toEqual([
        'version 1.0.0 → 1.1.0',
        'permission fs_read changed: /y removed',
        'permission network_outbound added',
        'content changed',
        'disabled, but the lock says enabled',
      ]);
    });

    it('should see no difference in the order of a list grant', () => {
      const locked = entry({ permissions: { ...NONE, run_commands: ['git', 'ls'] } });
      expect(lockDrifts(locked, entry({ permissions: { ...NONE, run_commands: ['ls', 'git'] } }))).toEqual(
        [],
      );
    });
  });
});
