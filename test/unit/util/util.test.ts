import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  closestMatch,
  DisposableStore,
  didYouMean,
  toDisposable,
  withDeadline,
  writeFileAtomic,
} from '../../../src/util/index.js';

describe('closestMatch / didYouMean', () => {
  it.each([
    ['descripton', ['description', 'name'], 'description'],
    ['nmae', ['name', 'main'], 'name'],
    ['onstartup', ['onStartup', 'onHook'], 'onStartup'],
    ['xyz', ['description', 'permissions'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });

  it('should phrase the suggestion', () => {
    expect(didYouMean('typ', ['type'])).toBe('; did you mean `type`?');
    expect(didYouMean('zzzz', ['type'])).toBe('');
  });
});

describe('withDeadline', () => {
  it('should pass the result through in time, and fail with the given error when late', async () => {
    await expect(withDeadline(Promise.resolve(1), 100, () => new Error('late'))).resolves.toBe(1);
    await expect(withDeadline(new Promise(() => undefined), 20, () => new Error('late'))).rejects.toThrow(
      'late',
    );
    await expect(
      withDeadline(Promise.reject(new Error('own')), 100, () => new Error('late')),
    ).rejects.toThrow('own');
  });
});

describe('DisposableStore', () => {
  it('should dispose last-added first, once, and dispose late additions at once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('a')));
    store.add(toDisposable(() => order.push('b')));
    store.dispose();
    store.dispose();
    store.add(toDisposable(() => order.push('late')));
    expect(order).toEqual(['b', 'a', 'late']);
  });
});

describe('writeFileAtomic', () => {
  it('should replace the content, create folders, honour the mode, and leave no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jovian-atomic-'));
    try {
      const file = join(dir, 'a', 'b', 'secret.txt');
      await writeFileAtomic(file, 'one', { mode: 0o600 });
      await writeFileAtomic(file, 'two', { mode: 0o600 });
      expect(await readFile(file, 'utf8')).toBe('two');
      expect(await readdir(join(dir, 'a', 'b'))).toEqual(['secret.txt']);
      const { stat } = await import('node:fs/promises');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('should fail with a Jovian error and leave the old content when the folder cannot be written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jovian-atomic-'));
    try {
      await writeFile(join(dir, 'not-a-dir'), 'x');
      await expect(writeFileAtomic(join(dir, 'not-a-dir', 'f.txt'), 'y')).rejects.toMatchObject({
        code: 'JOVIAN_E_FILE_WRITE_FAILED',
      });
      expect(await readFile(join(dir, 'not-a-dir'), 'utf8')).toBe('x');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
