import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import {
  type RJSFSchema,
  type RJSFValidationError,
  toErrorSchema,
  type ValidationData,
  type ValidatorType,
} from '@rjsf/utils';

type Values = Record<string, unknown>;

/**
 * rjsf's validator, without code generation. rjsf asks a validator which branch of a `oneOf`/`anyOf`,
 * which `dependencies` or `if`/`then` applies to the values being edited; its Ajv validator compiles
 * each schema with `new Function`, which the WebUI's Content-Security-Policy forbids, so those fields
 * would never switch. This one interprets the schema (@cfworker/json-schema). The values are checked
 * for real by the server (the form is `noValidate`): this only steers the form.
 */
export function createInterpretedValidator(): ValidatorType<Values, RJSFSchema> {
  const validators = new WeakMap<object, WeakMap<object, Validator>>();
  /** A sub-schema is validated with the root's definitions, so its `#/definitions/…` refs resolve. */
  const validatorFor = (schema: RJSFSchema, rootSchema: RJSFSchema): Validator => {
    let byRoot = validators.get(schema);
    if (byRoot === undefined) {
      byRoot = new WeakMap();
      validators.set(schema, byRoot);
    }
    let validator = byRoot.get(rootSchema);
    if (validator === undefined) {
      const withDefinitions = {
        ...(rootSchema.definitions ? { definitions: rootSchema.definitions } : {}),
        ...(rootSchema.$defs ? { $defs: rootSchema.$defs } : {}),
        ...schema,
      };
      validator = new Validator(withDefinitions as Schema, '7', false);
      byRoot.set(rootSchema, validator);
    }
    return validator;
  };
  const errorsOf = (schema: RJSFSchema, formData: unknown): OutputUnit[] => {
    const result = validatorFor(schema, schema).validate(formData ?? {});
    return result.valid ? [] : result.errors;
  };

  return {
    isValid(schema, formData, rootSchema) {
      try {
        return validatorFor(schema, rootSchema).validate(formData).valid;
      } catch {
        return false;
      }
    },
    rawValidation<Result = unknown>(schema: RJSFSchema, formData?: Values) {
      try {
        return { errors: errorsOf(schema, formData) as Result[] };
      } catch (error) {
        return { validationError: error as Error };
      }
    },
    validateFormData(formData, schema): ValidationData<Values> {
      const errors: RJSFValidationError[] = errorsOf(schema, formData)
        // Only the innermost problems: each failed keyword also fails every schema around it.
        .filter((unit) => !['properties', 'items', 'allOf', '$ref'].includes(unit.keyword))
        .map((unit) => {
          const property = unit.instanceLocation.replace(/^#/, '').split('/').join('.');
          return {
            name: unit.keyword,
            property,
            message: unit.error,
            stack: `${property || '.'} ${unit.error}`,
            schemaPath: unit.keywordLocation,
          };
        });
      return { errors, errorSchema: toErrorSchema<Values>(errors) };
    },
  };
}
