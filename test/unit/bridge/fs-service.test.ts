import { mkdir, readFile, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsService, MAX_READ_BYTES } from '../../../src/bridge/services/fs-service.js';
import { createSandbox, type Sandbox } from './service-fixture.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('fs service', () => {
  let box: Sandbox;
  let granted: string;
  let outside: string;
  beforeEach(async () => {
    box = await createSandbox();
    granted = join(box.root, 'granted');
    outside = join(box.root, 'outside');
    await mkdir(granted);
    await mkdir(outside);
    await writeFile(join(granted, 'a.txt'), 'granted content');
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await writeFile(join(box.pluginDir, 'main.js'), 'export default {};');
    await writeFile(join(box.projectDir, 'readme.md'), 'project readme');
  });
  afterEach(() => box.remove());

  describe('#fs.readFile', () => {
    it('should read a granted file and audit the decision', async () => {
      const scope = box.scope({ fs_read: [granted] });
      const fs = createFsService(scope);
      expect(text(await fs['fs.readFile'](join(granted, 'a.txt')))).toBe('granted content');
      expect(scope.entries).toEqual([
        {
          plugin: 'notes',
          action: 'fs.readFile',
          target: join(granted, 'a.txt'),
          decision: 'allow',
          permission: 'fs_read',
          reason: `granted by fs_read entry ${granted}`,
        },
      ]);
    });

    it('should take relative paths from the project folder, which `true` grants', async () => {
      const fs = createFsService(box.scope({ fs_read: true }));
      expect(text(await fs['fs.readFile']('readme.md'))).toBe('project readme');
      await expect(fs['fs.readFile'](join(granted, 'a.txt'))).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
    });

    it('should refuse a symbolic link inside a granted folder that leads outside, and audit it', async () => {
      await symlink(join(outside, 'secret.txt'), join(granted, 'link.txt'));
      const scope = box.scope({ fs_read: [granted] });
      const fs = createFsService(scope);
      const error = await Promise.resolve(fs['fs.readFile'](join(granted, 'link.txt'))).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: `plugin \`notes\` may not read ${join(outside, 'secret.txt')}: not under any fs_read entry (${granted})`,
        hint: `add \`fs_read: ["${join(outside, 'secret.txt')}"]\` under permissions in plugin.yaml`,
      });
      expect(scope.entries).toMatchObject([
        {
          decision: 'deny',
          target: join(outside, 'secret.txt'),
          reason: expect.stringContaining('asked for'),
        },
      ]);
    });

    it('should refuse ../ escapes from a granted folder', async () => {
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      await expect(fs['fs.readFile'](join(granted, '..', 'outside', 'secret.txt'))).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
      await expect(fs['fs.readFile'](`${granted}/../outside/secret.txt`)).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
    });

    it('should read its own folder without any grant', async () => {
      const fs = createFsService(box.scope());
      expect(text(await fs['fs.readFile'](join(box.pluginDir, 'main.js')))).toBe('export default {};');
    });

    it('should honour a granted symbolic link to a folder as that folder', async () => {
      const alias = join(box.root, 'alias');
      await symlink(granted, alias);
      const fs = createFsService(box.scope({ fs_read: [alias] }));
      expect(text(await fs['fs.readFile'](join(granted, 'a.txt')))).toBe('granted content');
    });

    it('should report a missing file it may read as JOVIAN_E_FS_NOT_FOUND', async () => {
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      await expect(fs['fs.readFile'](join(granted, 'nope.txt'))).rejects.toMatchObject({
        code: 'JOVIAN_E_FS_NOT_FOUND',
        message: `plugin \`notes\`: ${join(granted, 'nope.txt')} does not exist`,
      });
    });

    it('should not reveal whether a file it may not read exists', async () => {
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      await expect(fs['fs.readFile'](join(outside, 'nope.txt'))).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
      await expect(fs['fs.readFile'](join(outside, 'secret.txt'))).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
    });

    it('should refuse to read a folder as a file', async () => {
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      await expect(fs['fs.readFile'](granted)).rejects.toMatchObject({
        code: 'JOVIAN_E_FILE_READ_FAILED',
        message: `plugin \`notes\`: ${granted} is not a file`,
      });
    });

    it('should refuse a file over 64 MiB with a clear error', async () => {
      const big = join(granted, 'big.bin');
      await writeFile(big, '');
      await truncate(big, MAX_READ_BYTES + 1);
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      await expect(fs['fs.readFile'](big)).rejects.toMatchObject({
        code: 'JOVIAN_E_FS_TOO_LARGE',
        message: expect.stringContaining('at most 67108864 bytes (64 MiB)'),
      });
    });

    it('should refuse a path that is not a string', async () => {
      const fs = createFsService(box.scope({ fs_read: true }));
      await expect(fs['fs.readFile'](42 as unknown as string)).rejects.toMatchObject({
        code: 'JOVIAN_E_PROTOCOL_ERROR',
      });
      await expect(fs['fs.readFile']('')).rejects.toMatchObject({ code: 'JOVIAN_E_PROTOCOL_ERROR' });
    });
  });

  describe('#fs.writeFile', () => {
    it('should always write and read back its data folder, creating it', async () => {
      const scope = box.scope();
      const fs = createFsService(scope);
      await fs['fs.writeFile'](join(box.dataDir, 'note.txt'), 'mine');
      await fs['fs.writeFile'](join(box.dataDir, 'bytes.bin'), new Uint8Array([1, 2, 3]));
      expect(text(await fs['fs.readFile'](join(box.dataDir, 'note.txt')))).toBe('mine');
      expect([...(await fs['fs.readFile'](join(box.dataDir, 'bytes.bin')))]).toEqual([1, 2, 3]);
      expect(scope.entries.map((e) => [e.action, e.decision])).toEqual([
        ['fs.writeFile', 'allow'],
        ['fs.writeFile', 'allow'],
        ['fs.readFile', 'allow'],
        ['fs.readFile', 'allow'],
      ]);
    });

    it('should refuse writing its own folder, which it may read', async () => {
      const scope = box.scope();
      const fs = createFsService(scope);
      await expect(fs['fs.writeFile'](join(box.pluginDir, 'main.js'), 'patched')).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: expect.stringContaining('may not write'),
      });
      expect(await readFile(join(box.pluginDir, 'main.js'), 'utf8')).toBe('export default {};');
      expect(scope.entries).toMatchObject([{ decision: 'deny', permission: 'fs_write' }]);
    });

    it('should create a new file in a granted folder and replace an existing one', async () => {
      const fs = createFsService(box.scope({ fs_write: [granted] }));
      await fs['fs.writeFile'](join(granted, 'new.txt'), 'fresh');
      await fs['fs.writeFile'](join(granted, 'a.txt'), 'replaced');
      expect(await readFile(join(granted, 'new.txt'), 'utf8')).toBe('fresh');
      expect(await readFile(join(granted, 'a.txt'), 'utf8')).toBe('replaced');
    });

    it('should refuse a new file under a symbolic link to a folder outside the grant', async () => {
      await symlink(outside, join(granted, 'out'));
      const fs = createFsService(box.scope({ fs_write: [granted] }));
      await expect(fs['fs.writeFile'](join(granted, 'out', 'planted.txt'), 'x')).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
      await expect(stat(join(outside, 'planted.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('should refuse writing through a link its data folder holds to a file outside', async () => {
      await mkdir(box.dataDir, { recursive: true });
      await symlink(join(outside, 'secret.txt'), join(box.dataDir, 'evil'));
      const fs = createFsService(box.scope());
      await expect(fs['fs.writeFile'](join(box.dataDir, 'evil'), 'overwritten')).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    });

    it('should refuse a file whose folder does not exist, saying which folder', async () => {
      const fs = createFsService(box.scope({ fs_write: [granted] }));
      await expect(fs['fs.writeFile'](join(granted, 'sub', 'x.txt'), 'x')).rejects.toMatchObject({
        code: 'JOVIAN_E_FS_NOT_FOUND',
        message: `plugin \`notes\`: the folder ${join(granted, 'sub')} does not exist`,
      });
    });

    it('should refuse data that is neither text nor bytes', async () => {
      const fs = createFsService(box.scope());
      await expect(
        fs['fs.writeFile'](join(box.dataDir, 'x'), { not: 'bytes' } as unknown as string),
      ).rejects.toMatchObject({ code: 'JOVIAN_E_PROTOCOL_ERROR' });
    });
  });

  describe('#fs.readdir', () => {
    it('should list a granted folder, sorted, and refuse one outside', async () => {
      await writeFile(join(granted, 'b.txt'), '');
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      expect(await fs['fs.readdir'](granted)).toEqual(['a.txt', 'b.txt']);
      await expect(fs['fs.readdir'](outside)).rejects.toMatchObject({ code: 'JOVIAN_E_PERMISSION_DENIED' });
    });

    it('should list an empty data folder before anything was written', async () => {
      const fs = createFsService(box.scope());
      expect(await fs['fs.readdir'](box.dataDir)).toEqual([]);
    });

    it('should refuse to list a file', async () => {
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      await expect(fs['fs.readdir'](join(granted, 'a.txt'))).rejects.toMatchObject({
        code: 'JOVIAN_E_FILE_READ_FAILED',
      });
    });
  });

  describe('#fs.stat', () => {
    it('should describe a file and a folder', async () => {
      const fs = createFsService(box.scope({ fs_read: [granted] }));
      expect(await fs['fs.stat'](join(granted, 'a.txt'))).toEqual({
        size: 15,
        isFile: true,
        isDirectory: false,
        mtimeMs: (await stat(join(granted, 'a.txt'))).mtimeMs,
      });
      expect(await fs['fs.stat'](granted)).toMatchObject({ isFile: false, isDirectory: true });
      await expect(fs['fs.stat'](join(outside, 'secret.txt'))).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
      });
    });
  });
});
