import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import { JovianError } from '../errors.js';
import type { SourceLocation } from '../types.js';

/** Keys that could pollute prototypes once the YAML becomes a JavaScript object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** More alias expansions than this is treated as a "billion laughs" attack. */
export const MAX_ALIAS_COUNT = 100;

export type YamlPath = readonly (string | number)[];

/** A parsed YAML file that can point back at the line and column of any value or key. */
export interface YamlSource {
  readonly file: string;
  /** The plain JavaScript value (an object for mappings; `{}` for an empty file when allowed). */
  readonly value: unknown;
  /**
   * Where the value at `path` is; with `key: true`, where its key is. A path that does not exist
   * points at its nearest existing ancestor (a missing field points at the mapping that lacks it).
   */
  locate(path: YamlPath, options?: { key?: boolean }): SourceLocation;
}

export interface ParseYamlOptions {
  /** Accept an empty file as `{}` (config files). Default false. */
  readonly allowEmpty?: boolean;
}

/**
 * Parses YAML text safely: syntax errors, duplicate keys, alias bombs, prototype-polluting keys and a
 * non-mapping top level are refused with a JovianError pointing at file:line:column.
 */
export function parseYamlSource(text: string, file: string, options: ParseYamlOptions = {}): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const where = at(firstError.pos[0]);
    throw new JovianError('JOVIAN_E_YAML_SYNTAX', `invalid YAML: ${firstLine(firstError.message)}`, {
      where,
    });
  }
  refuseForbiddenKeys(doc, at);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new JovianError(
        'JOVIAN_E_YAML_ALIAS_BOMB',
        `YAML expands more than ${MAX_ALIAS_COUNT} aliases (resource-exhaustion attack refused)`,
        { where: firstAliasLocation(doc, at) ?? { file, line: 1, column: 1 } },
      );
    }
    throw new JovianError('JOVIAN_E_YAML_SYNTAX', `invalid YAML: ${(error as Error).message}`, {
      where: { file, line: 1, column: 1 },
    });
  }
  if (value === null || value === undefined) {
    if (options.allowEmpty) value = {};
    else {
      throw new JovianError('JOVIAN_E_YAML_NOT_MAPPING', 'the file is empty; a mapping is expected', {
        where: { file, line: 1, column: 1 },
      });
    }
  } else if (typeof value !== 'object' || Array.isArray(value)) {
    throw new JovianError('JOVIAN_E_YAML_NOT_MAPPING', 'the top level must be a mapping (key: value pairs)', {
      where: doc.contents?.range ? at(doc.contents.range[0]) : { file, line: 1, column: 1 },
    });
  }
  return {
    file,
    value,
    locate: (path, locateOptions) => locateNode(doc, path, locateOptions?.key === true, at, file),
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function refuseForbiddenKeys(doc: Document, at: (offset: number) => SourceLocation): void {
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      const name = isScalar(key) ? String(key.value) : undefined;
      if (name !== undefined && FORBIDDEN_KEYS.has(name)) {
        const range = isScalar(key) ? key.range : undefined;
        throw new JovianError('JOVIAN_E_YAML_FORBIDDEN_KEY', `the key \`${name}\` is not allowed`, {
          where: range ? at(range[0]) : undefined,
        });
      }
      if (key !== null && typeof key === 'object' && !isScalar(key)) {
        throw new JovianError('JOVIAN_E_YAML_SYNTAX', 'complex (non-scalar) mapping keys are not supported', {
          where: isMap(key) || isSeq(key) ? at(key.range?.[0] ?? 0) : undefined,
        });
      }
      return undefined;
    },
  });
}

function firstAliasLocation(
  doc: Document,
  at: (offset: number) => SourceLocation,
): SourceLocation | undefined {
  let found: SourceLocation | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.range) found = at(node.range[0]);
      return visit.BREAK;
    },
  });
  return found;
}

function locateNode(
  doc: Document,
  path: YamlPath,
  atKey: boolean,
  at: (offset: number) => SourceLocation,
  file: string,
): SourceLocation {
  let node: unknown = doc.contents;
  let lastRange: readonly number[] | undefined = (doc.contents as Node | null)?.range ?? undefined;
  let keyRange: readonly number[] | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step),
      );
      if (!pair) break;
      keyRange = isScalar(pair.key) ? (pair.key.range ?? undefined) : undefined;
      node = pair.value;
      const valueRange = (pair.value as Node | null)?.range;
      lastRange = i === path.length - 1 && atKey ? keyRange : (valueRange ?? keyRange);
      if (node === null) {
        // `key:` with no value: point at the key.
        lastRange = keyRange;
        if (i < path.length - 1) break;
      }
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      node = item;
      lastRange = item.range ?? lastRange;
    } else {
      break;
    }
  }
  return lastRange ? at(lastRange[0]!) : { file, line: 1, column: 1 };
}
