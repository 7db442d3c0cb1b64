import type { ErrorObject } from 'ajv';
import validate from './generated/manifest-validator.js';

type GeneratedValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Checks a raw manifest against the precompiled plugin.yaml schema. Returns the Ajv errors, or an empty
 * list when the shape is valid. Semantic checks (semver, activation events…) come after.
 */
export function schemaErrors(raw: unknown): readonly ErrorObject[] {
  const check = validate as unknown as GeneratedValidator;
  return check(raw) ? [] : (check.errors ?? []);
}
