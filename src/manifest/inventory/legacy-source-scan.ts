import type { LegacyDescription } from '../legacy.js';
import { blankComments, membersOf, type SourceMember, stringsOfArray } from './js-source-scan.js';

/** Where a module's exported plugin starts, in the order the legacy adapter looks (`plugin`, then default). */
const EXPORTS: readonly { readonly pattern: RegExp; readonly kind: LegacyDescription['kind'] }[] = [
  { pattern: /\bexport\s+(?:const|let|var)\s+plugin\s*=\s*\{/, kind: 'object' },
  { pattern: /\bexport\s+default\s+class\b[^{]*\{/, kind: 'class' },
  { pattern: /\bexport\s+default\s*\{/, kind: 'object' },
  { pattern: /\bmodule\.exports\s*=\s*class\b[^{]*\{/, kind: 'class' },
  { pattern: /\bmodule\.exports\s*=\s*\{/, kind: 'object' },
];

const HOOK_METHOD = /^on_[a-z0-9_]+$/;

/**
 * What the legacy adapter would find in a module, read from its source text instead of importing it:
 * an exported `plugin` object with `meta` (or a `run` method), or a default-exported class with `on_*`
 * methods, a static `meta` or a `run` method. Only literal `meta` values are read (strings, and a list
 * of strings for `permissions`). Undefined when the source shows no such export — an ordinary
 * `index.js` is not a plugin.
 */
export function describeLegacySource(source: string): LegacyDescription | undefined {
  const text = blankComments(source);
  for (const { pattern, kind } of EXPORTS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const members = membersOf(text, match.index + match[0].length - 1);
    const meta = members.find((m) => m.name === 'meta' && m.kind === 'property');
    const hookMethods = members
      .filter((m) => m.kind === 'method' && HOOK_METHOD.test(m.name))
      .map((m) => m.name)
      .sort();
    const hasRun = members.some((m) => m.name === 'run');
    const recognised = kind === 'class' ? hookMethods.length > 0 || meta || hasRun : meta || hasRun;
    if (!recognised) continue;
    return {
      kind,
      meta: meta ? literalMeta(meta) : {},
      hookMethods: kind === 'object' ? hookMethods : [...new Set(hookMethods)],
    };
  }
  return undefined;
}

/** The literal fields of `meta: { … }` the manifest is built from. */
function literalMeta(meta: SourceMember): LegacyDescription['meta'] {
  if (meta.value?.kind !== 'object') return {};
  const fields = membersOf(meta.value.text, 0);
  const text = (name: string) => {
    const value = fields.find((f) => f.name === name)?.value;
    return value?.kind === 'string' ? value.text : undefined;
  };
  const permissionsValue = fields.find((f) => f.name === 'permissions')?.value;
  const permissions =
    permissionsValue?.kind === 'array' ? permissionList(permissionsValue.text) : permissionsValue;
  return {
    ...(text('name') !== undefined ? { name: text('name') } : {}),
    ...(text('description') !== undefined ? { description: text('description') } : {}),
    ...(text('version') !== undefined ? { version: text('version') } : {}),
    ...(permissions !== undefined ? { permissions } : {}),
  };
}

/** A list of permission names, or a value the manifest builder refuses when the list is not literal. */
function permissionList(text: string): unknown {
  const { strings, onlyStrings } = stringsOfArray(text);
  return onlyStrings ? strings : [...strings, { unreadable: text }];
}
