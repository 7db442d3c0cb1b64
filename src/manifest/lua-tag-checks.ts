/**
 * The value checks of the Lua header tags that hold lists and numbers: @permissions, @depends and the
 * limits. Each reports at the part of the value at fault and returns what plugin.yaml would hold.
 */
import validRange from 'semver/ranges/valid.js';
import { diagnostic } from '../errors.js';
import type { Diagnostic, PermissionGrant, Permissions, SourceLocation } from '../types.js';
import { PERMISSION_NAMES } from '../types.js';
import { didYouMean } from '../util/index.js';
import type { LuaTag } from './lua-header.js';
import { dependencyParts, permissionParts } from './lua-tag-values.js';
import { canonicalPermission, normalisePermissions } from './permissions.js';
import type { RawManifest } from './schema.js';
import { PERMISSION_SYNONYMS, PLUGIN_ID_RE } from './vocabulary.js';

export type LuaReport = (d: Omit<Diagnostic, 'where'>, where: SourceLocation) => void;

/** The limits a header may set, with the bounds of plugin.yaml's `limits`. */
const LIMITS = { memory_mb: [1, 65536], timeout_ms: [1, Number.MAX_SAFE_INTEGER] } as const;

/** @memory_mb and @timeout_ms: whole numbers within the bounds plugin.yaml allows. */
export function checkLimits(
  tags: ReadonlyMap<string, readonly LuaTag[]>,
  report: LuaReport,
): RawManifest['limits'] {
  const limits: Record<string, number> = {};
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const tag = tags.get(name)?.[0];
    if (!tag?.value) continue;
    const number = /^\d+$/.test(tag.value) ? Number(tag.value) : Number.NaN;
    if (Number.isSafeInteger(number) && number >= min && number <= max) limits[name] = number;
    else {
      const bounds = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      report(
        diagnostic(
          'JOVIAN_E_MANIFEST_INVALID',
          `\`@${name}\` must be a whole number ${bounds}, not "${tag.value}"`,
        ),
        tag.valueAt,
      );
    }
  }
  return limits;
}

const PERMISSION_WORDS = [...PERMISSION_NAMES, ...Object.keys(PERMISSION_SYNONYMS)];

/** @permissions, normalised by the same rules as plugin.yaml's `permissions` (synonyms included). */
export function checkPermissions(tags: readonly LuaTag[], report: LuaReport): Permissions {
  const grants: Record<string, PermissionGrant> = {};
  const places = new Map<string, SourceLocation>();
  for (const part of tags.flatMap(permissionParts)) {
    if (canonicalPermission(part.name) === undefined) {
      report(
        diagnostic(
          'JOVIAN_E_MANIFEST_INVALID',
          `unknown permission \`${part.name}\`${didYouMean(part.name, PERMISSION_WORDS)}`,
          { hint: `use ${PERMISSION_NAMES.join(', ')} (or net, network, filesystem, process)` },
        ),
        part.at,
      );
    } else if (part.empty) {
      report(
        diagnostic('JOVIAN_E_MANIFEST_INVALID', `permission \`${part.name}=\` grants nothing`, {
          hint: `write \`${part.name}\` to grant it fully, or \`${part.name}=<entry>,<entry>\` to grant a list`,
        }),
        part.at,
      );
    } else if (Object.hasOwn(grants, part.name)) {
      report(
        diagnostic('JOVIAN_E_MANIFEST_DUPLICATE_PERMISSION', `permission \`${part.name}\` is given twice`, {
          hint: `give \`${part.name}\` once, with all its entries: \`${part.name}=<entry>,<entry>\``,
        }),
        part.at,
      );
    } else {
      grants[part.name] = part.grant;
      places.set(part.name, part.at);
    }
  }
  return normalisePermissions(grants, (d, path) => report(d, places.get(String(path[1]))!));
}

/** @depends: ids, ranges and repeated ids. */
export function checkDependencies(
  tags: readonly LuaTag[],
  report: LuaReport,
): NonNullable<RawManifest['dependencies']> {
  const seen = new Set<string>();
  const dependencies: NonNullable<RawManifest['dependencies']> = [];
  for (const part of tags.flatMap(dependencyParts)) {
    if (!PLUGIN_ID_RE.test(part.id)) {
      report(
        diagnostic('JOVIAN_E_MANIFEST_BAD_ID', `\`@depends\` names "${part.id}", which is not a plugin id`),
        part.at,
      );
      continue;
    }
    if (part.range !== '' && validRange(part.range) === null) {
      report(
        diagnostic(
          'JOVIAN_E_MANIFEST_BAD_RANGE',
          `\`@depends\` ${part.id}: "${part.range}" is not a valid semver range`,
          {
            hint: 'write `id@range` (`storage@^1.2.0`) and separate dependencies with commas: `@depends storage@^1.2.0, weather`',
          },
        ),
        part.rangeAt,
      );
    }
    if (seen.has(part.id)) {
      report(diagnostic('JOVIAN_E_MANIFEST_INVALID', `dependency \`${part.id}\` is listed twice`), part.at);
    }
    seen.add(part.id);
    dependencies.push({ id: part.id, version: part.range || '*', optional: part.optional });
  }
  return dependencies;
}
