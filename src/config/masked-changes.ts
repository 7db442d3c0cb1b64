import type { JsonSchema } from '../types.js';

/** What a secret value is shown as in the audit log and anywhere else a change is reported. */
export const MASK = '••••';

/** One changed key of a plugin's config: its value before and after (effective values). */
export interface ConfigChange {
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * The changes with every value the schema marks `format: password` replaced by MASK — whether the
 * key names the secret itself (`db.password`) or an object holding it (`db`). A value that was
 * absent stays undefined, so the record still says whether a secret was set or removed.
 */
export function maskSecrets(
  schema: JsonSchema | undefined,
  changes: readonly ConfigChange[],
): ConfigChange[] {
  if (!schema) return changes.map((change) => ({ ...change }));
  return changes.map((change) => {
    const at = schemaAt(schema, change.key.split('.'));
    return { key: change.key, from: mask(at, change.from), to: mask(at, change.to) };
  });
}

function schemaAt(schema: JsonSchema | undefined, path: readonly string[]): JsonSchema | undefined {
  let at = schema;
  for (const part of path) at = childSchema(at, part);
  return at;
}

function childSchema(schema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  const properties = schema?.properties as Record<string, JsonSchema> | undefined;
  if (properties && Object.hasOwn(properties, key)) return properties[key];
  const additional = schema?.additionalProperties;
  return typeof additional === 'object' && additional !== null ? (additional as JsonSchema) : undefined;
}

function mask(schema: JsonSchema | undefined, value: unknown): unknown {
  if (value === undefined || !schema) return value;
  if (schema.format === 'password') return MASK;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = typeof schema.items === 'object' ? (schema.items as JsonSchema) : undefined;
    return value.map((item) => mask(items, item));
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      key,
      mask(childSchema(schema, key), v),
    ]),
  );
}
