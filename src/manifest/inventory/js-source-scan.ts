/**
 * Just enough reading of JavaScript source text to find what a module exports at its top level, without
 * running it: comments blanked, strings and brackets skipped, the members of one object literal or
 * class body listed. Not a parser: code that builds its exports at run time is not understood, and
 * the caller treats "not understood" as "not a plugin".
 */

const QUOTES = new Set(["'", '"', '`']);
const OPENERS: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')' };
const IDENTIFIER = /[A-Za-z_$][\w$]*/y;

/** A member of an object literal or class body: a property (with its value when literal) or a method. */
export interface SourceMember {
  readonly name: string;
  readonly kind: 'property' | 'method';
  /** A string literal's value, an object's or array's text (brackets included); undefined otherwise. */
  readonly value?: SourceValue | undefined;
}

export type SourceValue =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'object' | 'array'; readonly text: string };

/** `text` with every comment replaced by spaces (strings kept), so offsets stay the same. */
export function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (QUOTES.has(c)) {
      const end = skipString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index just after the string literal starting at `start` (escapes honoured). */
export function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
  }
  return text.length;
}

/** The index just after the bracket that closes the one at `start` (strings skipped). */
export function skipBalanced(text: string, start: number): number {
  const stack: string[] = [];
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (QUOTES.has(c)) {
      i = skipString(text, i) - 1;
    } else if (OPENERS[c]) {
      stack.push(OPENERS[c]!);
    } else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return text.length;
}

/** The members at the top level of the object literal or class body whose `{` is at `open`. */
export function membersOf(text: string, open: number): SourceMember[] {
  const end = skipBalanced(text, open) - 1;
  const members: SourceMember[] = [];
  let i = open + 1;
  while (i < end) {
    const c = text[i]!;
    if (QUOTES.has(c)) {
      const after = skipString(text, i);
      const colon = nextSignificant(text, after);
      if (text[colon] === ':') {
        const value = readValue(text, nextSignificant(text, colon + 1));
        members.push({ name: unquote(text.slice(i, after)), kind: 'property', value: value.value });
        i = value.end;
      } else {
        i = after;
      }
    } else if (OPENERS[c]) {
      i = skipBalanced(text, i);
    } else if (/[A-Za-z_$]/.test(c) && !/[\w$]/.test(text[i - 1] ?? '')) {
      IDENTIFIER.lastIndex = i;
      const name = IDENTIFIER.exec(text)![0];
      const next = nextSignificant(text, i + name.length);
      const sign = text[next];
      if (sign === ':' || (sign === '=' && text[next + 1] !== '=' && text[next + 1] !== '>')) {
        const value = readValue(text, nextSignificant(text, next + 1));
        members.push({ name, kind: 'property', value: value.value });
        i = value.end;
      } else {
        if (sign === '(') members.push({ name, kind: 'method' });
        i = next;
      }
    } else {
      i++;
    }
  }
  return members;
}

/** The string literals at the top level of the array literal text `[...]`. */
export function stringsOfArray(text: string): { strings: string[]; onlyStrings: boolean } {
  const strings: string[] = [];
  let onlyStrings = true;
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i]!;
    if (QUOTES.has(c)) {
      const after = skipString(text, i);
      strings.push(unquote(text.slice(i, after)));
      i = after - 1;
    } else if (!/[\s,]/.test(c)) {
      onlyStrings = false;
    }
  }
  return { strings, onlyStrings };
}

function readValue(text: string, start: number): { value: SourceValue | undefined; end: number } {
  const c = text[start];
  if (c !== undefined && QUOTES.has(c)) {
    const end = skipString(text, start);
    const raw = text.slice(start, end);
    const literal = !(c === '`' && raw.includes('${'));
    return { value: literal ? { kind: 'string', text: unquote(raw) } : undefined, end };
  }
  if (c === '{' || c === '[') {
    const end = skipBalanced(text, start);
    return { value: { kind: c === '{' ? 'object' : 'array', text: text.slice(start, end) }, end };
  }
  return { value: undefined, end: start };
}

function nextSignificant(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** A string literal's value: the quotes removed and the common escapes undone. */
function unquote(raw: string): string {
  return raw
    .slice(1, raw.endsWith(raw[0]!) && raw.length > 1 ? -1 : undefined)
    .replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
}
