import { diagnostic } from '../errors.js';
import type { Diagnostic, PermissionGrant, PermissionName, Permissions } from '../types.js';
import { PERMISSION_NAMES } from '../types.js';
import type { YamlPath } from '../util/index.js';
import { PERMISSION_SYNONYMS } from './vocabulary.js';

/** Everything denied: the default of every manifest. */
export const NO_PERMISSIONS: Permissions = Object.freeze({
  fs_read: false,
  fs_write: false,
  run_commands: false,
  network_outbound: false,
});

type RawPermissions = Readonly<Record<string, PermissionGrant>> | readonly string[] | undefined;

/**
 * Normalises `permissions` in either form (a mapping of grants or a list of names) into the four
 * canonical permissions, renaming synonyms (`net`/`network` → `network_outbound`, `filesystem` →
 * `fs_read`, `process` → `run_commands`). A permission given twice (directly and through a synonym)
 * is reported through `report` with the path of the second key.
 */
export function normalisePermissions(
  raw: RawPermissions,
  report: (d: Omit<Diagnostic, 'where'>, path: YamlPath, atKey: boolean) => void,
): Permissions {
  if (raw === undefined) return NO_PERMISSIONS;
  const result: Record<PermissionName, PermissionGrant> = { ...NO_PERMISSIONS };
  const givenBy = new Map<PermissionName, string>();
  const entries: [string, PermissionGrant, YamlPath][] = Array.isArray(raw)
    ? raw.map((name, index) => [name, true, ['permissions', index]])
    : Object.entries(raw as Record<string, PermissionGrant>).map(([name, grant]) => [
        name,
        grant,
        ['permissions', name],
      ]);
  for (const [name, grant, path] of entries) {
    const canonical = canonicalPermission(name);
    if (canonical === undefined) continue; // the schema already reported it
    const previous = givenBy.get(canonical);
    if (previous !== undefined) {
      report(
        diagnostic(
          'JOVIAN_E_MANIFEST_DUPLICATE_PERMISSION',
          `permission \`${canonical}\` is given twice (\`${previous}\` and \`${name}\`)`,
          { hint: `keep one of \`${previous}\` and \`${name}\`` },
        ),
        path,
        !Array.isArray(raw),
      );
      continue;
    }
    givenBy.set(canonical, name);
    result[canonical] = Array.isArray(grant) ? Object.freeze([...new Set(grant as string[])]) : grant;
  }
  return Object.freeze(result);
}

export function canonicalPermission(name: string): PermissionName | undefined {
  if ((PERMISSION_NAMES as readonly string[]).includes(name)) return name as PermissionName;
  return PERMISSION_SYNONYMS[name];
}
