import type { ErrorCode } from '../errors.js';
import type { JsonSchema, SourceLocation } from '../types.js';
import { compileJsonSchema, formatPath, type SchemaIssue } from '../util/index.js';
import type { ConfigIssue } from './config-error.js';

/** Finds where a path of the checked value is written (file:line:column). */
export type Locator = (path: readonly (string | number)[], options?: { key?: boolean }) => SourceLocation;

/**
 * Checks `value` against `schema` and turns every problem into a ConfigIssue placed by `locate`
 * (which may point into different files for different keys). Unknown keys get
 * JOVIAN_E_CONFIG_UNKNOWN_KEY with a "did you mean"; everything else JOVIAN_E_CONFIG_INVALID.
 */
export async function checkValues(
  value: unknown,
  schema: JsonSchema,
  locate: Locator,
  options: { useDefaults?: boolean } = {},
): Promise<ConfigIssue[]> {
  const compiled = await compileJsonSchema(schema, { useDefaults: options.useDefaults });
  return compiled.check(value).map((issue) => toConfigIssue(issue, locate));
}

export function toConfigIssue(issue: SchemaIssue, locate: Locator): ConfigIssue {
  const code: ErrorCode =
    issue.kind === 'unknown' ? 'JOVIAN_E_CONFIG_UNKNOWN_KEY' : 'JOVIAN_E_CONFIG_INVALID';
  return {
    code,
    kind: issue.kind,
    key: formatPath(issue.path),
    rule: issue.rule,
    where: locate(issue.path, { key: issue.atKey }),
  };
}
