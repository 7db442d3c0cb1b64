import type { JsonSchema } from '../../types.js';

/** One setting of a plugin's config schema, as the docs show it. */
export interface ConfigRow {
  /** Dotted for nested objects: `retry.count`. */
  readonly key: string;
  readonly type: string;
  /** The default as JSON; null when there is none. */
  readonly default: string | null;
  readonly description: string;
  readonly required: boolean;
}

/** How deep nested objects are spelled out; deeper ones are one row of type `object`. */
const MAX_NESTING = 3;

/**
 * The settings a config schema describes, one row per property (nested object properties as dotted
 * keys), in the schema's order. Empty for a plugin without a schema or with no properties.
 */
export function configRows(schema: JsonSchema | undefined): ConfigRow[] {
  return schema ? rowsOf(schema, '', 0) : [];
}

function rowsOf(schema: JsonSchema, prefix: string, depth: number): ConfigRow[] {
  const properties = schema.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const rows: ConfigRow[] = [];
  for (const [name, raw] of Object.entries(properties as Record<string, unknown>)) {
    const property = (typeof raw === 'object' && raw !== null ? raw : {}) as JsonSchema;
    const key = `${prefix}${name}`;
    const nested = depth + 1 < MAX_NESTING ? rowsOf(property, `${key}.`, depth + 1) : [];
    rows.push({
      key,
      type: typeOf(property),
      default: 'default' in property ? JSON.stringify(property.default) : null,
      description: descriptionOf(property),
      required: required.has(name),
    });
    rows.push(...nested);
  }
  return rows;
}

/** `string`, `integer | null`, `array of string`, `"a" or "b"`. */
function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' or ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const types = Array.isArray(schema.type)
    ? (schema.type as string[])
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  if (types.length === 0)
    return Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf) ? 'one of several' : 'any';
  return types
    .map((type) => {
      const items = schema.items as JsonSchema | undefined;
      return type === 'array' && items && typeof items.type === 'string' ? `array of ${items.type}` : type;
    })
    .join(' | ');
}

/** `description`, else `title`, with its limits (`1–10`, `at most 16 characters`) appended. */
function descriptionOf(schema: JsonSchema): string {
  const text =
    typeof schema.description === 'string'
      ? schema.description
      : typeof schema.title === 'string'
        ? schema.title
        : '';
  const limits = [
    typeof schema.minimum === 'number' ? `minimum ${schema.minimum}` : '',
    typeof schema.maximum === 'number' ? `maximum ${schema.maximum}` : '',
    typeof schema.minLength === 'number' ? `at least ${schema.minLength} characters` : '',
    typeof schema.maxLength === 'number' ? `at most ${schema.maxLength} characters` : '',
    typeof schema.pattern === 'string' ? `matches ${schema.pattern}` : '',
  ].filter(Boolean);
  return [text, limits.length > 0 ? `(${limits.join(', ')})` : ''].filter(Boolean).join(' ');
}
