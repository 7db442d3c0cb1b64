import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JovianError } from '../../errors.js';
import { writeFileAtomic } from '../../util/index.js';

/** A usable secret: one line of at least 32 characters, no white space. The host writes 64 hex digits. */
const SECRET_RE = /^\S{32,}$/;

/** Secrets being read or created, so that two first calls in one process agree on one secret. */
const pending = new Map<string, Promise<string>>();

/**
 * Where the signing secret of webhook plugin `pluginId` lives: `<data-dir>/secrets/<id>.key`. The
 * operator copies it from there into the service that receives the plugin's calls.
 */
export function webhookSecretFile(dataDir: string, pluginId: string): string {
  return join(dataDir, 'secrets', `${pluginId}.key`);
}

/**
 * Reads the signing secret in `file`, creating it on first use: 32 random bytes as 64 hex digits,
 * written atomically with mode 0600 in a folder with mode 0700. A file written by the operator is kept
 * as it is (trimmed). `warn` is told when the file can be read by other users; the secret itself is
 * never part of a message.
 * @throws JovianError `JOVIAN_E_WEBHOOK_SECRET_INVALID` (unreadable or unusable file),
 *   `JOVIAN_E_FILE_WRITE_FAILED` (cannot create it)
 */
export function loadWebhookSecret(file: string, warn: (message: string) => void): Promise<string> {
  let loading = pending.get(file);
  if (!loading) {
    loading = readOrCreate(file, warn).finally(() => pending.delete(file));
    pending.set(file, loading);
  }
  return loading;
}

async function readOrCreate(file: string, warn: (message: string) => void): Promise<string> {
  const existing = await readSecret(file);
  if (existing !== undefined) {
    await warnIfShared(file, warn);
    return existing;
  }
  const secret = randomBytes(32).toString('hex');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The secret in `file`, or undefined when there is no such file. */
async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JovianError(
      'JOVIAN_E_WEBHOOK_SECRET_INVALID',
      `cannot read the webhook secret ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const secret = text.trim();
  if (!SECRET_RE.test(secret)) {
    throw new JovianError(
      'JOVIAN_E_WEBHOOK_SECRET_INVALID',
      `the webhook secret ${file} does not hold a usable secret (one line of at least 32 characters without spaces)`,
      { hint: `delete ${file} to have a new secret created, or write one with \`openssl rand -hex 32\`` },
    );
  }
  return secret;
}

async function warnIfShared(file: string, warn: (message: string) => void): Promise<void> {
  try {
    if (((await stat(file)).mode & 0o077) !== 0)
      warn(`the webhook secret ${file} can be read by other users; run \`chmod 600 ${file}\``);
  } catch {
    // It was just read: a failing stat only loses the warning.
  }
}
