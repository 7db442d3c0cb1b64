/**
 * The list-valued tags of a Lua header, split into located parts. Splitting is separate from checking
 * so that a problem found later (a missing dependency, say) can be located in the header again.
 */
import type { PermissionGrant, SourceLocation } from '../types.js';
import { insideValue, type LuaTag } from './lua-header.js';

/** One grant of `@permissions`: `net`, `fs_read=./data,~/notes`, `run_commands=false`. */
export interface LuaPermissionPart {
  readonly name: string;
  readonly grant: PermissionGrant;
  /** True for `name=` with nothing after it. */
  readonly empty: boolean;
  readonly at: SourceLocation;
}

/**
 * `@permissions net fs_read=./data,~/notes run_commands=git`: whitespace-separated grants; a bare name
 * (or a comma-separated list of bare names) grants it fully, `name=a,b` grants those entries,
 * `name=true` / `name=false` are the boolean forms. Entries cannot contain blanks.
 */
export function permissionParts(tag: LuaTag): LuaPermissionPart[] {
  const parts: LuaPermissionPart[] = [];
  for (const chunk of tag.value.matchAll(/\S+/g)) {
    const text = chunk[0];
    const equals = text.indexOf('=');
    if (equals === -1) {
      for (const name of text.matchAll(/[^,]+/g)) {
        parts.push({
          name: name[0],
          grant: true,
          empty: false,
          at: insideValue(tag, chunk.index + name.index),
        });
      }
      continue;
    }
    const value = text.slice(equals + 1);
    const entries = value.split(',').filter((entry) => entry !== '');
    const grant = value === 'true' ? true : value === 'false' ? false : entries;
    parts.push({
      name: text.slice(0, equals),
      grant,
      empty: entries.length === 0,
      at: insideValue(tag, chunk.index),
    });
  }
  return parts;
}

/** One entry of `@depends`: `storage`, `storage@^1.2.0`, `weather? >=2 <3`. */
export interface LuaDependencyPart {
  readonly id: string;
  /** The range as written; empty for any version. */
  readonly range: string;
  readonly optional: boolean;
  readonly at: SourceLocation;
  readonly rangeAt: SourceLocation;
}

const DEPENDENCY_RE = /^([^\s@?]*)(\?)?(\s*@\s*|\s+)?(.*)$/;

/**
 * `@depends storage@^1.2.0, weather?, geo >=2.0.0 <3.0.0`: comma-separated entries, each an id, then
 * `?` when the dependency is optional, then a semver range after `@` or a blank (any version when
 * there is none).
 */
export function dependencyParts(tag: LuaTag): LuaDependencyPart[] {
  const parts: LuaDependencyPart[] = [];
  for (const entry of tag.value.matchAll(/[^,]+/g)) {
    const text = entry[0].trim();
    if (text === '') continue;
    const offset = entry.index + entry[0].indexOf(text);
    const [, id = '', optional, separator = '', range = ''] = DEPENDENCY_RE.exec(text)!;
    parts.push({
      id,
      range,
      optional: optional === '?',
      at: insideValue(tag, offset),
      rangeAt: insideValue(tag, offset + id.length + (optional ? 1 : 0) + separator.length),
    });
  }
  return parts;
}
