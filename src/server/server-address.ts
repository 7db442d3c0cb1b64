import { readFile } from 'node:fs/promises';
import { serverFile } from './server-token.js';

/** Where a running `jovian serve` says it listens (`<data-dir>/server.json`), so commands can use its API. */
export interface ServerAddress {
  /** `http://127.0.0.1:4300` */
  readonly url: string;
  readonly pid: number;
}

/**
 * The server running over `dataDir`, or undefined when none is: no file, or the process it names is
 * gone (a server killed without stopping leaves its file behind).
 */
export async function readServerAddress(dataDir: string): Promise<ServerAddress | undefined> {
  const text = await readFile(serverFile(dataDir), 'utf8').catch(() => undefined);
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
