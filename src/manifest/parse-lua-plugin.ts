import { basename } from 'node:path';
import validVersion from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { diagnostic } from '../errors.js';
import type { Diagnostic, PluginType } from '../types.js';
import { closestMatch, didYouMean } from '../util/index.js';
import { type LuaHeader, type LuaTag, readLuaHeader } from './lua-header.js';
import { luaHooksOf } from './lua-hooks.js';
import { checkDependencies, checkLimits, checkPermissions, type LuaReport } from './lua-tag-checks.js';
import { normaliseManifest } from './normalise.js';
import type { ManifestIdentity, ParsedManifest, ParseManifestOptions } from './parse-manifest.js';
import type { RawManifest } from './schema.js';
import { PLUGIN_ID_RE } from './vocabulary.js';

/** The tags of a Lua plugin's header; docs/plugin-authoring.md (Lua plugins) gives their defaults. */
export const LUA_HEADER_TAGS = [
  'id',
  'name',
  'version',
  'type',
  'author',
  'description',
  'license',
  'engines',
  'permissions',
  'depends',
  'memory_mb',
  'timeout_ms',
] as const;
const KNOWN: ReadonlySet<string> = new Set(LUA_HEADER_TAGS);
/** Tags that may be repeated; their values add up. */
const REPEATABLE: ReadonlySet<string> = new Set(['permissions', 'depends']);
/**
 * Documentation tags (LDoc, Lua language server) that may sit at the top of a Lua file; they are not
 * plugin metadata and are ignored without a warning.
 */
const DOC_TAGS: ReadonlySet<string> = new Set([
  'module',
  'copyright',
  'release',
  'see',
  'meta',
  'diagnostic',
]);

type Tags = ReadonlyMap<string, readonly LuaTag[]>;

/**
 * Parses a single-file Lua plugin: its header of `-- @tag value` comment lines gives the manifest, and
 * the global functions its source defines at the top level give `contributes.hooks` (`runtime: lua`,
 * `main`: the file's name). Never throws and never runs Lua: every problem is a diagnostic at the
 * file:line:column of the tag (or of the part of its value) at fault. A file without any tag is not a
 * plugin: its only diagnostic is a `JOVIAN_E_MANIFEST_NO_LUA_HEADER` warning.
 * @example
 * parseLuaPlugin('-- @id welcome\n-- @version 1.0.0\nfunction on_chat(m) end\n', '/p/welcome.lua',
 *   { fallbackId: 'welcome' }).manifest?.activation; // ['onHook:on_chat']
 */
export function parseLuaPlugin(text: string, file: string, options: ParseManifestOptions): ParsedManifest {
  const header = readLuaHeader(text, file);
  if (header.tags.length === 0) return withoutHeader(file, options.fallbackId);
  const tags = groupTags(header.tags);
  const identity = identityOf(tags, options.fallbackId);
  const diagnostics: Diagnostic[] = [];
  const report: LuaReport = (d, where) => diagnostics.push({ ...d, plugin: identity.id, where });

  checkTagNames(header, tags, report);
  const value = (name: string): string | undefined => {
    const tag = tags.get(name)?.[0];
    return tag && tag.value !== '' ? tag.value : undefined;
  };
  const permissions = checkPermissions(tags.get('permissions') ?? [], report);
  const dependencies = checkDependencies(tags.get('depends') ?? [], report);
  const limits = checkLimits(tags, report);
  checkIdentity(tags, options, report);
  diagnostics.sort((a, b) => a.where!.line - b.where!.line || a.where!.column - b.where!.column);
  if (diagnostics.some((d) => d.severity === 'error')) return { manifest: undefined, identity, diagnostics };

  const raw: RawManifest = {
    id: value('id')!,
    type: (value('type') ?? 'tool') as PluginType,
    version: value('version')!,
    engines: { jovian: value('engines') ?? '*' },
    main: basename(file),
    runtime: 'lua',
    contributes: { hooks: luaHooksOf(text).map((hook) => hook.name) },
    dependencies,
    limits,
  };
  for (const key of ['name', 'description', 'author', 'license'] as const) {
    const given = value(key);
    if (given !== undefined) raw[key] = given;
  }
  return { manifest: normaliseManifest(raw, permissions), identity, diagnostics };
}

function withoutHeader(file: string, fallbackId: string): ParsedManifest {
  return {
    manifest: undefined,
    identity: { id: fallbackId },
    diagnostics: [
      diagnostic('JOVIAN_E_MANIFEST_NO_LUA_HEADER', `${file} has no plugin header (\`-- @id …\` lines)`, {
        severity: 'warning',
        where: { file, line: 1, column: 1 },
        plugin: fallbackId,
      }),
    ],
  };
}

function groupTags(tags: readonly LuaTag[]): Tags {
  const groups = new Map<string, LuaTag[]>();
  for (const tag of tags) groups.set(tag.name, [...(groups.get(tag.name) ?? []), tag]);
  return groups;
}

/** Unknown tags (warnings), repeated tags, tags without a value, missing required tags. */
function checkTagNames(header: LuaHeader, tags: Tags, report: LuaReport): void {
  for (const [name, group] of tags) {
    if (!KNOWN.has(name)) {
      if (DOC_TAGS.has(name)) continue;
      const suggestion = closestMatch(name, LUA_HEADER_TAGS);
      report(
        diagnostic(
          'JOVIAN_E_MANIFEST_UNKNOWN_FIELD',
          `unknown tag \`@${name}\`${suggestion ? `; did you mean \`@${suggestion}\`?` : ''}`,
          {
            severity: 'warning',
            hint: suggestion
              ? `rename it to \`@${suggestion}\``
              : 'remove it (it is ignored); docs/plugin-authoring.md, Lua plugins, lists the tags',
          },
        ),
        group[0]!.at,
      );
      continue;
    }
    if (!REPEATABLE.has(name)) {
      for (const extra of group.slice(1)) {
        report(
          diagnostic('JOVIAN_E_MANIFEST_INVALID', `tag \`@${name}\` is given twice`, {
            hint: `keep one \`@${name}\` line (the first is on line ${group[0]!.at.line})`,
          }),
          extra.at,
        );
      }
    }
    for (const tag of group) {
      if (tag.value === '')
        report(diagnostic('JOVIAN_E_MANIFEST_INVALID', `tag \`@${name}\` has no value`), tag.valueAt);
    }
  }
  for (const required of ['id', 'version']) {
    if (tags.has(required)) continue;
    report(
      diagnostic('JOVIAN_E_MANIFEST_MISSING_FIELD', `missing required tag \`@${required}\``, {
        hint: `add a \`-- @${required} <${required === 'id' ? 'id' : 'semver'}>\` line to the header, the \`--\` lines at the top of the file (lines ${header.start.line}–${header.lastLine})`,
      }),
      header.start,
    );
  }
}

/** @id, @version, @type and @engines. */
function checkIdentity(tags: Tags, options: ParseManifestOptions, report: LuaReport): void {
  const [id, version, type, engines] = ['id', 'version', 'type', 'engines'].map((n) => tags.get(n)?.[0]);
  if (id?.value && !PLUGIN_ID_RE.test(id.value)) {
    report(
      diagnostic(
        'JOVIAN_E_MANIFEST_BAD_ID',
        `\`@id\` "${id.value}" must be 2–64 lowercase letters, digits, \`_\` or \`-\`, starting with a letter`,
      ),
      id.valueAt,
    );
  } else if (id?.value && options.reservedIds?.has(id.value)) {
    report(
      diagnostic('JOVIAN_E_MANIFEST_RESERVED_ID', `the id \`${id.value}\` is reserved for a core plugin`),
      id.valueAt,
    );
  }
  if (version?.value && validVersion(version.value) === null) {
    report(
      diagnostic(
        'JOVIAN_E_MANIFEST_BAD_VERSION',
        `\`@version\` "${version.value}" is not a semantic version`,
      ),
      version.valueAt,
    );
  }
  if (type?.value && type.value !== 'tool' && type.value !== 'system') {
    report(
      diagnostic(
        'JOVIAN_E_MANIFEST_INVALID',
        `\`@type\` must be \`tool\` or \`system\`, not "${type.value}"${didYouMean(type.value, ['tool', 'system'])}`,
      ),
      type.valueAt,
    );
  }
  if (engines?.value && validRange(engines.value) === null) {
    report(
      diagnostic(
        'JOVIAN_E_MANIFEST_BAD_RANGE',
        `\`@engines\` "${engines.value}" is not a valid semver range`,
      ),
      engines.valueAt,
    );
  }
}

function identityOf(tags: Tags, fallbackId: string): ManifestIdentity {
  const first = (name: string) => tags.get(name)?.[0]?.value || undefined;
  const id = first('id');
  const type = first('type');
  return {
    id: id !== undefined && PLUGIN_ID_RE.test(id) ? id : fallbackId,
    name: first('name'),
    version: first('version'),
    type: type === 'system' || type === 'tool' ? type : undefined,
  };
}
