import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from '../types.js';
import { explainSchemaErrors, type SchemaIssue } from './schema-issues.js';

/** A compiled JSON Schema. */
export interface CompiledSchema {
  /**
   * Checks `data` and returns its issues (empty when valid). With `useDefaults`, missing properties
   * that have a `default` are filled in `data` itself.
   */
  check(data: unknown): SchemaIssue[];
}

export interface CompileOptions {
  /** Fill missing properties from their `default` (mutates the checked data). */
  readonly useDefaults?: boolean;
}

type AjvInstance = {
  compile(schema: object): ValidateFunction;
  validateSchema(schema: object): boolean | Promise<unknown>;
  errors?: ErrorObject[] | null;
};
let plain: Promise<AjvInstance> | undefined;
let withDefaults: Promise<AjvInstance> | undefined;
const compiled = new WeakMap<object, CompiledSchema>();
const compiledWithDefaults = new WeakMap<object, CompiledSchema>();

/**
 * Compiles a JSON Schema (draft-07, with `$defs` and the ajv-formats formats). Ajv is loaded on first
 * use only, so code paths that never validate dynamic schemas do not pay for it.
 * @throws Error when `schema` itself is not a valid JSON Schema (the message says why).
 */
export async function compileJsonSchema(
  schema: JsonSchema,
  options: CompileOptions = {},
): Promise<CompiledSchema> {
  const cache = options.useDefaults ? compiledWithDefaults : compiled;
  const hit = cache.get(schema);
  if (hit) return hit;
  if (options.useDefaults) withDefaults ??= createAjv(true);
  else plain ??= createAjv(false);
  const ajv = await (options.useDefaults ? withDefaults : plain)!;
  if (!ajv.validateSchema(schema)) {
    const issues = explainSchemaErrors(ajv.errors ?? []);
    throw new Error(
      `invalid JSON Schema: ${issues.map((i) => `${i.path.join('.') || '(root)'} ${i.rule}`).join('; ')}`,
    );
  }
  const validate = ajv.compile(schema);
  const result: CompiledSchema = {
    check(data) {
      return validate(data) ? [] : explainSchemaErrors(validate.errors ?? []);
    },
  };
  cache.set(schema, result);
  return result;
}

async function createAjv(useDefaults: boolean): Promise<AjvInstance> {
  const [{ default: Ajv }, { default: addFormats }] = await Promise.all([
    import('ajv'),
    import('ajv-formats'),
  ]);
  const ajv = new Ajv.default({
    allErrors: true,
    verbose: true,
    strict: false,
    useDefaults,
    allowUnionTypes: true,
  });
  addFormats.default(ajv);
  // A form hint (a masked field for a secret), not a constraint: any string is valid.
  ajv.addFormat('password', true);
  return ajv as unknown as AjvInstance;
}
