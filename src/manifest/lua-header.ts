import type { SourceLocation } from '../types.js';

/** One `-- @tag value` line of a Lua plugin's header. */
export interface LuaTag {
  /** The tag without its `@`, as written (`id`, `version`…). */
  readonly name: string;
  /** The rest of the line, without surrounding blanks; empty when the tag has no value. */
  readonly value: string;
  /** Where the `@` is. */
  readonly at: SourceLocation;
  /** Where the value starts (just past the tag when there is none). */
  readonly valueAt: SourceLocation;
}

/** The header of a Lua plugin: the leading block of `--` comment lines. */
export interface LuaHeader {
  readonly tags: readonly LuaTag[];
  /** The first line of the header (line 1 when the file has none). */
  readonly start: SourceLocation;
  /** The last line of the header; 0 when the file has none. */
  readonly lastLine: number;
}

const TAG_RE = /^(\s*-{2,}\s*)@([A-Za-z_][A-Za-z0-9_-]*)(\s*)(.*?)\s*$/;
const LONG_COMMENT_RE = /^\s*--\[=*\[/;

/**
 * Reads the header of a Lua plugin: blank lines and a `#!` line at the top are skipped, then the header
 * is every line up to the first one that is not a `--` line comment (a blank line or a `--[[ long
 * comment ]]` ends it too). Lines of the header that start with `@` after the dashes are tags; the
 * others are free text. Pure and total: any text gives a header, maybe an empty one.
 * @example
 * readLuaHeader('-- @id welcome\n-- @version 1.0.0\n\nfunction on_chat(m) end', 'welcome.lua').tags
 *   .map((t) => [t.name, t.value]); // [['id', 'welcome'], ['version', '1.0.0']]
 */
export function readLuaHeader(text: string, file: string): LuaHeader {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let index = 0;
  if (lines[0]?.startsWith('#!')) index++;
  while (index < lines.length && lines[index]!.trim() === '') index++;
  const startIndex = index;
  const tags: LuaTag[] = [];
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.trimStart().startsWith('--') || LONG_COMMENT_RE.test(line)) break;
    const match = TAG_RE.exec(line);
    if (!match) continue;
    const [, lead, name, gap, value] = match as unknown as [string, string, string, string, string];
    const lineNumber = index + 1;
    tags.push({
      name,
      value,
      at: { file, line: lineNumber, column: lead.length + 1 },
      valueAt: { file, line: lineNumber, column: lead.length + 1 + 1 + name.length + gap.length },
    });
  }
  const empty = index === startIndex;
  return {
    tags,
    start: { file, line: empty ? 1 : startIndex + 1, column: 1 },
    lastLine: empty ? 0 : index,
  };
}

/** A location `offset` characters into a tag's value (for one part of a list). */
export function insideValue(tag: LuaTag, offset: number): SourceLocation {
  return { ...tag.valueAt, column: tag.valueAt.column + offset };
}
