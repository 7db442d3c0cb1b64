import type { ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.js';

/** One schema violation explained for people, with the path of the offending value or key. */
export interface SchemaIssue {
  /** Path of the offending value; for an unknown field, the path of that field. */
  readonly path: readonly (string | number)[];
  readonly kind: 'unknown' | 'missing' | 'invalid';
  /** True when the issue is about a key (unknown field) rather than a value. */
  readonly atKey: boolean;
  /** The JSON Schema keyword that failed (`type`, `required`, `additionalProperties`, `pattern`…). */
  readonly keyword: string;
  /** The rule in words, without the field name: "must be a boolean or a list of strings". */
  readonly rule: string;
  /** The closest known name for an unknown field, when one is close enough. */
  readonly suggestion?: string | undefined;
}

/** `contributes.hooks[0].stage` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return out === '' ? '(top level)' : out;
}

/** `/a/b/0` → `['a', 'b', 0]` */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((step) => (/^(0|[1-9]\d*)$/.test(step) ? Number(step) : step));
}

/**
 * Turns Ajv errors (compiled with `allErrors: true, verbose: true`) into one issue per real problem:
 * for `anyOf`/`oneOf` only the branch that matches the value's shape is reported, or a single "must be
 * A or B" when none does; unknown fields get a "did you mean" suggestion.
 */
export function explainSchemaErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  const kept = pruneAlternatives(errors);
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of kept) {
    const issue = explainOne(error);
    if (!issue) continue;
    const key = `${formatPath(issue.path)}|${issue.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

type Alternative = { readonly error: ErrorObject; readonly branches: Map<number, ErrorObject[]> };

function pruneAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (alternatives.length === 0) return errors.filter((e) => e.keyword !== 'if');
  // Handle the outermost alternatives first; inner ones are pruned when their branch is dropped.
  const sorted = [...alternatives].sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  let remaining = errors.slice();
  const synthesized: ErrorObject[] = [];
  for (const alt of sorted) {
    if (!remaining.includes(alt)) continue;
    const prefix = `${alt.schemaPath}/`;
    const branches = new Map<number, ErrorObject[]>();
    for (const e of remaining) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const index = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      if (!Number.isInteger(index)) continue;
      const list = branches.get(index) ?? [];
      list.push(e);
      branches.set(index, list);
    }
    const chosen = chooseBranch({ error: alt, branches });
    const dropped = new Set<ErrorObject>([alt]);
    for (const [index, list] of branches) if (index !== chosen) for (const e of list) dropped.add(e);
    remaining = remaining.filter((e) => !dropped.has(e));
    if (chosen === undefined) synthesized.push(combineAlternatives({ error: alt, branches }));
  }
  return [...remaining.filter((e) => e.keyword !== 'if'), ...synthesized];
}

/** The branch whose errors lie deepest inside the value, or undefined when every branch rejects its shape. */
function chooseBranch(alt: Alternative): number | undefined {
  let best: number | undefined;
  let bestDepth = -1;
  for (const [index, list] of alt.branches) {
    const shapeMismatch = list.some(
      (e) =>
        e.instancePath === alt.error.instancePath &&
        (e.keyword === 'type' || e.keyword === 'const' || e.keyword === 'enum'),
    );
    if (shapeMismatch) continue;
    const depth = Math.max(...list.map((e) => e.instancePath.length));
    if (depth > bestDepth) {
      best = index;
      bestDepth = depth;
    }
  }
  return best;
}

function combineAlternatives(alt: Alternative): ErrorObject {
  const expected: string[] = [];
  for (const [, list] of [...alt.branches].sort((a, b) => a[0] - b[0])) {
    const own = list.find((e) => e.instancePath === alt.error.instancePath);
    if (!own) continue;
    const text = describeExpectation(own);
    if (!expected.includes(text)) expected.push(text);
  }
  return {
    ...alt.error,
    keyword: 'anyOf',
    message: `must be ${expected.length > 0 ? joinOr(expected) : 'one of the allowed forms'}`,
  };
}

function describeExpectation(error: ErrorObject): string {
  if (error.keyword === 'type') {
    const parent = error.parentSchema as { items?: { type?: unknown } } | undefined;
    const type = String((error.params as { type: string }).type);
    if (type === 'array' && typeof parent?.items?.type === 'string')
      return `a list of ${plural(parent.items.type)}`;
    return article(type);
  }
  if (error.keyword === 'const')
    return JSON.stringify((error.params as { allowedValue: unknown }).allowedValue);
  if (error.keyword === 'enum') {
    return `one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? error.keyword;
}

function explainOne(error: ErrorObject): SchemaIssue | undefined {
  const base = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      const hint = didYouMean(name, known);
      const suggestion = hint ? hint.slice(hint.indexOf('`') + 1, hint.lastIndexOf('`')) : undefined;
      return {
        path: [...base, name],
        kind: 'unknown',
        atKey: true,
        keyword: error.keyword,
        rule: `is not a known field${hint}`,
        suggestion,
      };
    }
    case 'required': {
      const name = String(params.missingProperty);
      return {
        path: [...base, name],
        kind: 'missing',
        atKey: false,
        keyword: error.keyword,
        rule: 'is required',
      };
    }
    case 'type': {
      const type = String(params.type);
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: `must be ${joinOr(type.split(',').map(article))}`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed.map(String)) : '';
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${hint}`,
      };
    }
    case 'const':
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: `must be ${JSON.stringify(params.allowedValue)}`,
      };
    case 'pattern':
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: `must match the pattern ${String(params.pattern)}`,
      };
    case 'format':
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: `must be a valid ${String(params.format)}`,
      };
    case 'uniqueItems':
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: 'must not contain the same item twice',
      };
    case 'anyOf':
    case 'oneOf':
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: error.message ?? 'has an invalid form',
      };
    default:
      return {
        path: base,
        kind: 'invalid',
        atKey: false,
        keyword: error.keyword,
        rule: error.message ?? `breaks the ${error.keyword} rule`,
      };
  }
}

function article(type: string): string {
  switch (type) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'integer':
      return 'an integer';
    case 'null':
      return 'null';
    default:
      return `a ${type}`;
  }
}

function plural(type: string): string {
  return type === 'object' ? 'mappings' : `${type}s`;
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
