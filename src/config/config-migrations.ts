import { JovianError } from '../errors.js';
import { writeFileAtomic } from '../util/index.js';

/** Upgrades a config from the previous version to the version it is keyed by. */
export type Migration = (
  previous: Record<string, unknown>,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface MigrationOutcome {
  readonly values: Record<string, unknown>;
  /** The version the file had, when a migration ran. */
  readonly migratedFrom?: number | undefined;
  /** The copy of the file taken before migrating. */
  readonly backup?: string | undefined;
}

/**
 * Brings config values from version `from` to `to` by running `migrations[from + 1] … migrations[to]`
 * in order. Every step must exist before anything runs; the original file is copied to
 * `<file>.v<from>.bak` before the first step. The caller writes the result only if it is valid, so a
 * missing step, a failing step or an invalid result leaves config.yaml exactly as it was.
 * @throws JOVIAN_E_CONFIG_VERSION_AHEAD, JOVIAN_E_CONFIG_MIGRATION_MISSING, JOVIAN_E_CONFIG_MIGRATION_FAILED
 */
export async function migrateValues(
  file: string,
  originalText: string,
  values: Record<string, unknown>,
  from: number,
  to: number,
  migrations: Readonly<Record<number, Migration>>,
): Promise<MigrationOutcome> {
  if (from === to) return { values };
  if (from > to) {
    throw new JovianError(
      'JOVIAN_E_CONFIG_VERSION_AHEAD',
      `${file} is at config version ${from} but the plugin expects version ${to}`,
      {
        where: { file, line: 1, column: 1 },
      },
    );
  }
  for (let version = from + 1; version <= to; version++) {
    if (typeof migrations[version] !== 'function') {
      throw new JovianError(
        'JOVIAN_E_CONFIG_MIGRATION_MISSING',
        `${file} is at config version ${from}, but the plugin has no migration to version ${version}`,
        {
          where: { file, line: 1, column: 1 },
        },
      );
    }
  }
  const backup = `${file}.v${from}.bak`;
  await writeFileAtomic(backup, originalText, { mode: 0o600 }); // a copy of config.yaml: it may hold secrets
  let current = structuredClone(values);
  for (let version = from + 1; version <= to; version++) {
    try {
      const next = await migrations[version]!(structuredClone(current));
      if (typeof next !== 'object' || next === null || Array.isArray(next))
        throw new Error('it returned no mapping');
      current = next;
    } catch (error) {
      throw new JovianError(
        'JOVIAN_E_CONFIG_MIGRATION_FAILED',
        `migration of ${file} to config version ${version} failed: ${(error as Error).message}`,
        {
          cause: error,
          where: { file, line: 1, column: 1 },
          hint: `config.yaml is unchanged; a copy is at ${backup}`,
        },
      );
    }
  }
  return { values: current, migratedFrom: from, backup };
}
