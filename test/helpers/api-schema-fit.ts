import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { API_SCHEMAS, type ApiSchemaName } from '../../src/server/index.js';

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);

/** What in `value` breaks the schema `/api/docs` publishes for `name`: `[]` when it fits. */
export function schemaProblems(name: ApiSchemaName, value: unknown): string[] {
  const validate = ajv.compile(API_SCHEMAS[name]);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Compiles a JSON Schema with the same validator (throws when it is not a valid schema). */
export const compileSchema = (schema: object) => ajv.compile(schema);
