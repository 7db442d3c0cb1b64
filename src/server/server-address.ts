import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/index.js';

/** Where a running `jovian serve` says it listens, so that commands can use its API. */
export interface ServerAddress {
  /** `http://127.0.0.1:4300` */
  readonly url: string;
  readonly pid: number;
}

/** The file holding the address of the server running over a data directory. */
export function serverAddressFile(dataDir: string): string {
  return join(dataDir, 'server.json');
}

export function writeServerAddress(dataDir: string, address: ServerAddress): Promise<void> {
  return writeFileAtomic(serverAddressFile(dataDir), `${JSON.stringify(address)}\n`, { mode: 0o600 });
}

export async function removeServerAddress(dataDir: string): Promise<void> {
  await rm(serverAddressFile(dataDir), { force: true });
}

/**
 * The server running over `dataDir`, or undefined when none is: no file, or the process it names is
 * gone (a server killed without stopping leaves its file behind).
 */
export async function readServerAddress(dataDir: string): Promise<ServerAddress | undefined> {
  const text = await readFile(serverAddressFile(dataDir), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const address = JSON.parse(text) as Partial<ServerAddress>;
    if (typeof address.url !== 'string' || typeof address.pid !== 'number') return undefined;
    process.kill(address.pid, 0);
    return { url: address.url, pid: address.pid };
  } catch {
    return undefined;
  }
}
