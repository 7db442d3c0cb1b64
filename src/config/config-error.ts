import { type ErrorCode, JovianError } from '../errors.js';
import type { SourceLocation } from '../types.js';

/** One invalid configuration value. */
export interface ConfigIssue {
  readonly code: ErrorCode;
  /** `unknown` key, `missing` required key, or `invalid` value. */
  readonly kind: 'unknown' | 'missing' | 'invalid';
  /** Dotted path of the key: `retries`, `plugins.weather.enabled`. */
  readonly key: string;
  /** The rule it breaks, in words. */
  readonly rule: string;
  /** Where the value (or the mapping missing it) is. */
  readonly where: SourceLocation;
}

/** Every issue of a configuration file at once; the message names the first one. */
export class ConfigError extends JovianError {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], hint?: string) {
    const first = issues[0]!;
    const more =
      issues.length > 1
        ? ` (and ${issues.length - 1} more: ${issues
            .slice(1)
            .map((i) => `\`${i.key}\``)
            .join(', ')})`
        : '';
    super(first.code, `\`${first.key}\` ${first.rule}${more}`, { where: first.where, hint });
    this.issues = issues;
  }
}
