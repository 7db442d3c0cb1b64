import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JovianError } from '../errors.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Runs `work` while holding `<pluginsDir>/.install.lock`, so that two installs never swap the same
 * folder at once. The lock holds the owner's pid: one left by a process that died (kill -9) is taken
 * over; one held by a live process is refused.
 */
export async function withInstallLock<T>(pluginsDir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(pluginsDir, { recursive: true });
  const file = join(pluginsDir, '.install.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw conflict(file, error);
      const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner))
        throw conflict(file, error, owner);
      await rm(file, { force: true });
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

function conflict(file: string, cause: unknown, owner?: number): JovianError {
  return new JovianError(
    'JOVIAN_E_INSTALL_CONFLICT',
    owner === undefined
      ? `cannot take the install lock ${file}`
      : `another install (process ${owner}) is running over ${join(file, '..')}`,
    { cause, hint: 'wait for it to finish; if no such process runs, remove the lock file' },
  );
}
