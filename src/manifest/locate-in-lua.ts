import type { SourceLocation } from '../types.js';
import { type LuaTag, readLuaHeader } from './lua-header.js';
import { luaHooksOf } from './lua-hooks.js';
import { dependencyParts, permissionParts } from './lua-tag-values.js';

/** The header tag that holds each top-level manifest field. */
const TAG_OF: Readonly<Record<string, string>> = {
  engines: 'engines',
  dependencies: 'depends',
  permissions: 'permissions',
};

/**
 * Where a manifest path (`['dependencies', 1, 'version']`, `['id']`…) is written in a single-file Lua
 * plugin: at its tag in the header, at the part of a list tag, or at the function a derived hook comes
 * from. Anything else points at the start of the header.
 */
export function locateInLua(text: string, file: string, path: readonly (string | number)[]): SourceLocation {
  const header = readLuaHeader(text, file);
  const [field, index, leaf] = path;
  if (field === 'main') return { file, line: 1, column: 1 };
  if (field === 'contributes' && index === 'hooks') {
    const hook = typeof leaf === 'number' ? luaHooksOf(text)[leaf] : undefined;
    return hook ? { file, line: hook.line, column: hook.column } : header.start;
  }
  const name = field === 'limits' ? String(index) : (TAG_OF[String(field)] ?? String(field));
  const tags = header.tags.filter((tag) => tag.name === name);
  if (tags.length === 0) return header.start;
  if (name === 'depends' && typeof index === 'number') {
    const part = tags.flatMap(dependencyParts)[index];
    if (part) return leaf === 'version' ? part.rangeAt : part.at;
  }
  if (name === 'permissions' && index !== undefined) {
    const part = tags.flatMap(permissionParts).find((p) => p.name === String(index));
    if (part) return part.at;
  }
  return valueOrTag(tags[0]!);
}

function valueOrTag(tag: LuaTag): SourceLocation {
  return tag.value === '' ? tag.at : tag.valueAt;
}
