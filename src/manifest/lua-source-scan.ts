/**
 * A small Lua 5.4 tokenizer, just enough to find the global functions a chunk defines at its top level
 * without running it: strings, long strings and comments are skipped, block keywords are counted.
 * It never throws; a malformed chunk yields what could be read (the Lua runtime reports the syntax
 * error when it loads the file).
 */

/** A global function defined at the top level of a chunk, where its name is written (1-based). */
export interface LuaGlobalFunction {
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

interface Token {
  readonly text: string;
  /** True for names and keywords. */
  readonly word: boolean;
  readonly line: number;
  readonly column: number;
}

const OPENERS = new Set(['function', 'do', 'if', 'repeat']);
const CLOSERS = new Set(['end', 'until']);
const BRACKETS: Readonly<Record<string, number>> = { '(': 1, '{': 1, '[': 1, ')': -1, '}': -1, ']': -1 };

/**
 * The global functions defined at the top level of `source`, in source order, each name once:
 * `function name(…)` and `name = function(…)`, outside any block, table or call. Not counted:
 * `local function name`, functions assigned to a local declared earlier, fields (`function M.name`,
 * `function obj:name`) and definitions inside `if`, `do` or another function.
 */
export function topLevelGlobalFunctions(source: string): LuaGlobalFunction[] {
  const tokens = tokenize(source);
  const found = new Map<string, LuaGlobalFunction>();
  const locals = new Set<string>();
  let depth = 0;
  let nesting = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1]?.text;
    if (token.word) {
      if (depth === 0 && nesting === 0) {
        if (token.text === 'local') collectLocals(tokens, i + 1, locals);
        const name = definedName(tokens, i, previous);
        if (name && !locals.has(name.text) && !found.has(name.text))
          found.set(name.text, { name: name.text, line: name.line, column: name.column });
      }
      if (OPENERS.has(token.text)) depth++;
      else if (CLOSERS.has(token.text)) depth = Math.max(0, depth - 1);
    } else {
      nesting = Math.max(0, nesting + (BRACKETS[token.text] ?? 0));
    }
  }
  return [...found.values()];
}

/** The name a statement starting at `tokens[i]` defines as a global function, if it does. */
function definedName(tokens: readonly Token[], i: number, previous: string | undefined): Token | undefined {
  const [first, second, third] = [tokens[i]!, tokens[i + 1], tokens[i + 2]];
  if (first.text === 'function' && previous !== 'local' && second?.word && third?.text === '(') return second;
  const statementStart = previous === undefined || !['local', '.', ':', ',', '='].includes(previous);
  if (statementStart && !KEYWORDS.has(first.text) && second?.text === '=' && third?.text === 'function')
    return first;
  return undefined;
}

/** `local a, b <const> = …` or `local function a`: the names become locals of the chunk. */
function collectLocals(tokens: readonly Token[], start: number, into: Set<string>): void {
  if (tokens[start]?.text === 'function') {
    const name = tokens[start + 1];
    if (name?.word) into.add(name.text);
    return;
  }
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.word) into.add(token.text);
    const next = tokens[i + 1]?.text;
    if (next === '<') i += 3; // attribute: `<const>` or `<close>`
    if (tokens[i + 1]?.text !== ',') return;
    i++;
  }
}

const KEYWORDS = new Set([
  'and',
  'break',
  'do',
  'else',
  'elseif',
  'end',
  'false',
  'for',
  'function',
  'goto',
  'if',
  'in',
  'local',
  'nil',
  'not',
  'or',
  'repeat',
  'return',
  'then',
  'true',
  'until',
  'while',
]);

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const TWO_CHAR_OPERATORS = new Set(['==', '~=', '<=', '>=', '::', '//', '<<', '>>']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = source.length;
  /** Moves past `source[from, to)`, counting line breaks. */
  const skipTo = (to: number): void => {
    for (let k = i; k < to && k < n; k++) {
      if (source[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    i = Math.min(to, n);
  };
  if (source.startsWith('#')) skipTo(lineEnd(source, 0)); // shebang line
  while (i < n) {
    const c = source[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      skipTo(i + 1);
    } else if (source.startsWith('--', i)) {
      const level = longBracketLevel(source, i + 2);
      skipTo(level >= 0 ? closeOfLongBracket(source, i + 2, level) : lineEnd(source, i));
    } else if (c === '[' && longBracketLevel(source, i) >= 0) {
      skipTo(closeOfLongBracket(source, i, longBracketLevel(source, i)));
    } else if (c === '"' || c === "'") {
      skipTo(endOfShortString(source, i));
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < n && WORD_PART.test(source[end]!)) end++;
      tokens.push({ text: source.slice(i, end), word: true, line, column: i - lineStart + 1 });
      skipTo(end);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      skipTo(endOfNumber(source, i));
    } else {
      const two = source.slice(i, i + 2);
      const text = source.startsWith('...', i)
        ? '...'
        : TWO_CHAR_OPERATORS.has(two) || two === '..'
          ? two
          : c;
      tokens.push({ text, word: false, line, column: i - lineStart + 1 });
      skipTo(i + text.length);
    }
  }
  return tokens;
}

function lineEnd(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end === -1 ? source.length : end;
}

/** The level of a long bracket `[==[` opening at `at` (the number of `=`), or -1 when there is none. */
function longBracketLevel(source: string, at: number): number {
  if (source[at] !== '[') return -1;
  let k = at + 1;
  while (source[k] === '=') k++;
  return source[k] === '[' ? k - at - 1 : -1;
}

/** Just past the `]==]` closing a long bracket opened at `at`, or the end of the source. */
function closeOfLongBracket(source: string, at: number, level: number): number {
  const close = `]${'='.repeat(level)}]`;
  const end = source.indexOf(close, at + level + 2);
  return end === -1 ? source.length : end + close.length;
}

/** Just past the quote closing a string opened at `at` (or the end of its line when unterminated). */
function endOfShortString(source: string, at: number): number {
  const quote = source[at];
  let k = at + 1;
  while (k < source.length) {
    const c = source[k]!;
    if (c === '\\') {
      k += 2;
      continue;
    }
    if (c === quote) return k + 1;
    if (c === '\n') return k;
    k++;
  }
  return source.length;
}

/** Just past a numeral: decimal or hexadecimal, with fraction and exponent (`1e-3`, `0x1p+4`). */
function endOfNumber(source: string, at: number): number {
  let k = at;
  while (k < source.length) {
    const c = source[k]!;
    if (/[0-9A-Za-z_.]/.test(c)) k++;
    else if ((c === '+' || c === '-') && /[eEpP]/.test(source[k - 1] ?? '')) k++;
    else break;
  }
  return k;
}
