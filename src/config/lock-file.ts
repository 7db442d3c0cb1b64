import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JovianError } from '../errors.js';
import {
  PERMISSION_NAMES,
  type PermissionGrant,
  type PermissionName,
  type Permissions,
  type SourceLocation,
} from '../types.js';
import { writeFileAtomic } from '../util/index.js';

/** The lockfile's name; it sits next to the project file, else in the data directory. */
export const LOCK_FILE_NAME = 'jovian.lock';

/** The only `lockfile_version` this version of Jovian reads and writes. */
export const LOCKFILE_VERSION = 1;

/** What jovian.lock records for one plugin (docs/packaging.md#lockfile). */
export interface LockEntry {
  readonly version: string;
  /** `sha256:<hex>` of the plugin's content (security's `pluginContentHash`). */
  readonly hash: string;
  /** The manifest's permissions as the operator accepted them: all four, lists sorted. */
  readonly permissions: Permissions;
  readonly enabled: boolean;
  /** Where the plugin was installed from (written by the installer; kept as is). */
  readonly source?: string;
  /** The trust level its signature gave it (written by the installer; kept as is). */
  readonly trust?: string;
  /** Who signed it (written by the installer; kept as is). */
  readonly signer?: string;
}

export interface LockFile {
  readonly lockfile_version: typeof LOCKFILE_VERSION;
  readonly plugins: Readonly<Record<string, LockEntry>>;
}

const EXTRA_FIELDS = ['source', 'trust', 'signer'] as const;
const HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** A plugin id as plugin.yaml allows it (which also keeps `__proto__` out of the entries). */
const ID_PATTERN = /^[a-z][a-z0-9_-]{1,63}$/;

/**
 * Where the lockfile of a host lives: next to the project file when there is one, else in the data
 * directory (next to jovian.yaml).
 */
export function lockFileFor(where: { dataDir: string; projectFile?: string | undefined }): string {
  return join(where.projectFile === undefined ? where.dataDir : dirname(where.projectFile), LOCK_FILE_NAME);
}

/**
 * Reads and checks a lockfile. Undefined when the file does not exist (no lock: nothing is checked).
 * @throws JOVIAN_E_LOCK_INVALID (not JSON, or a field missing or of the wrong type, with the place),
 *   JOVIAN_E_LOCK_VERSION_UNSUPPORTED, JOVIAN_E_FILE_READ_FAILED
 */
export async function readLockFile(file: string): Promise<LockFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseLockText(text, file);
}

/** Parses the text of a lockfile (see readLockFile); `file` names it in errors. */
export function parseLockText(text: string, file: string): LockFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new JovianError('JOVIAN_E_LOCK_INVALID', `${file} is not valid JSON: ${message}`, {
      where: locationOf(text, file, message),
      cause: error,
    });
  }
  const invalid = (why: string): never => {
    throw new JovianError('JOVIAN_E_LOCK_INVALID', `${file}: ${why}`, {
      where: { file, line: 1, column: 1 },
    });
  };
  if (!isObject(value)) return invalid('the top level must be a JSON object');
  if (value.lockfile_version !== LOCKFILE_VERSION) {
    if (typeof value.lockfile_version !== 'number') return invalid('`lockfile_version` must be a number');
    throw new JovianError(
      'JOVIAN_E_LOCK_VERSION_UNSUPPORTED',
      `${file} has lockfile_version ${value.lockfile_version}; this version of Jovian reads version ${LOCKFILE_VERSION}`,
    );
  }
  if (!isObject(value.plugins)) return invalid('`plugins` must be an object of entries by plugin id');
  const plugins: Record<string, LockEntry> = {};
  for (const [id, raw] of Object.entries(value.plugins)) plugins[id] = parseEntry(id, raw, invalid);
  return { lockfile_version: LOCKFILE_VERSION, plugins };
}

function parseEntry(id: string, raw: unknown, invalid: (why: string) => never): LockEntry {
  const at = `plugins.${id}`;
  if (!ID_PATTERN.test(id)) invalid(`\`${at}\`: \`${id}\` is not a plugin id`);
  if (!isObject(raw)) return invalid(`\`${at}\` must be an object`);
  if (typeof raw.version !== 'string' || raw.version === '')
    invalid(`\`${at}.version\` must be a non-empty string`);
  if (typeof raw.hash !== 'string' || !HASH_PATTERN.test(raw.hash))
    invalid(`\`${at}.hash\` must be \`sha256:\` followed by 64 lowercase hex digits`);
  if (typeof raw.enabled !== 'boolean') invalid(`\`${at}.enabled\` must be true or false`);
  if (!isObject(raw.permissions)) return invalid(`\`${at}.permissions\` must be an object`);
  const permissions: Record<PermissionName, PermissionGrant> = {
    fs_read: false,
    fs_write: false,
    run_commands: false,
    network_outbound: false,
  };
  for (const [name, grant] of Object.entries(raw.permissions)) {
    if (!(PERMISSION_NAMES as readonly string[]).includes(name))
      invalid(`\`${at}.permissions.${name}\` is not a permission (${PERMISSION_NAMES.join(', ')})`);
    if (typeof grant !== 'boolean' && !(Array.isArray(grant) && grant.every((g) => typeof g === 'string')))
      invalid(`\`${at}.permissions.${name}\` must be true, false or a list of strings`);
    permissions[name as PermissionName] = grant as PermissionGrant;
  }
  const extras: Record<string, string> = {};
  for (const field of EXTRA_FIELDS) {
    const extra = raw[field];
    if (extra === undefined) continue;
    if (typeof extra !== 'string') invalid(`\`${at}.${field}\` must be a string`);
    extras[field] = extra as string;
  }
  return {
    version: raw.version as string,
    hash: raw.hash as string,
    permissions: normaliseLockedPermissions(permissions),
    enabled: raw.enabled as boolean,
    ...extras,
  };
}

/** All four permissions, list grants deduplicated and sorted: the form the lock stores and compares. */
export function normaliseLockedPermissions(permissions: Partial<Permissions>): Permissions {
  const out = {} as Record<PermissionName, PermissionGrant>;
  for (const name of PERMISSION_NAMES) {
    const grant = permissions[name] ?? false;
    out[name] = typeof grant === 'boolean' ? grant : [...new Set(grant)].sort();
  }
  return out;
}

/**
 * The text of a lockfile: JSON with keys sorted at every level, 2-space indent and a trailing newline,
 * so that the same lock always gives the same bytes (and readable diffs).
 */
export function serialiseLockFile(lock: LockFile): string {
  return `${JSON.stringify(sortKeys(lock), null, 2)}\n`;
}

/** Writes a whole lockfile atomically. @throws JOVIAN_E_FILE_WRITE_FAILED (the old file is unchanged) */
export async function writeLockFile(file: string, lock: LockFile): Promise<void> {
  await writeFileAtomic(file, serialiseLockFile(lock));
}

/**
 * Sets (or, with `entry` undefined, removes) one plugin's entry, keeping every other entry as it is;
 * creates the file when it is missing.
 * @throws what readLockFile throws (a broken lock is never overwritten), JOVIAN_E_FILE_WRITE_FAILED
 */
export async function writeLockEntry(file: string, id: string, entry: LockEntry | undefined): Promise<void> {
  const lock = (await readLockFile(file)) ?? { lockfile_version: LOCKFILE_VERSION, plugins: {} };
  const plugins = { ...lock.plugins };
  if (entry === undefined) delete plugins[id];
  else plugins[id] = { ...entry, permissions: normaliseLockedPermissions(entry.permissions) };
  await writeLockFile(file, { lockfile_version: LOCKFILE_VERSION, plugins });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The line and column of a JSON.parse error (`… at position N`), else the start of the file. */
function locationOf(text: string, file: string, message: string): SourceLocation {
  const match = /at position (\d+)/.exec(message);
  if (!match) return { file, line: 1, column: 1 };
  const before = text.slice(0, Number(match[1]));
  const lines = before.split('\n');
  return { file, line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
