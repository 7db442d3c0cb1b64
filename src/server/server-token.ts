import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/index.js';

/** The file holding the server's access token, in the data directory (mode 0600). */
export function tokenFile(dataDir: string): string {
  return join(dataDir, 'server-token');
}

/**
 * The token every `/api` request must carry: created at the first start (32 random bytes, hex) and
 * kept, readable by its owner only, so that the login URL printed at start stays valid across restarts.
 */
export async function loadOrCreateToken(dataDir: string): Promise<string> {
  const file = tokenFile(dataDir);
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (/^[0-9a-f]{64}$/.test(existing.trim())) return existing.trim();
  const token = randomBytes(32).toString('hex');
  await writeFileAtomic(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** The file `jovian serve` writes while it runs: `{ url, pid }`, so that commands can reach it (mode 0600). */
export function serverFile(dataDir: string): string {
  return join(dataDir, 'server.json');
}

/** Says where the server listens, for `jovian logs --level/--debug-for`; removed when it stops. */
export async function announceServer(dataDir: string, url: string): Promise<void> {
  await writeFileAtomic(serverFile(dataDir), `${JSON.stringify({ url, pid: process.pid })}\n`, {
    mode: 0o600,
  });
}

/** Compares a presented token with the real one in constant time. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
