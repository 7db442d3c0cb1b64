import { JovianError } from '../errors.js';

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_LENGTH = 200;

/**
 * Checks a topic: dot-separated words of letters, digits, `_` and `-` (`plugin.state`, `job.progress`).
 * @throws JOVIAN_E_EVENT_BAD_TOPIC
 */
export function validateTopic(topic: string): void {
  check(topic, false);
}

/**
 * Checks a pattern: a topic whose segments may also be `*` (exactly one word) or `**` (any number of
 * words, including none). @throws JOVIAN_E_EVENT_BAD_TOPIC
 */
export function validatePattern(pattern: string): void {
  check(pattern, true);
}

function check(value: string, wildcards: boolean): void {
  const what = wildcards ? 'pattern' : 'topic';
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) {
    throw new JovianError(
      'JOVIAN_E_EVENT_BAD_TOPIC',
      `event ${what} must be 1 to ${MAX_LENGTH} characters, got ${JSON.stringify(value)}`,
    );
  }
  for (const segment of value.split('.')) {
    if (SEGMENT.test(segment)) continue;
    if (wildcards && (segment === '*' || segment === '**')) continue;
    const reason = segment === '' ? 'an empty segment' : `the segment \`${segment}\``;
    throw new JovianError('JOVIAN_E_EVENT_BAD_TOPIC', `event ${what} \`${value}\` has ${reason}`, {
      hint: wildcards
        ? 'use dot-separated words; `*` matches one word and `**` any number of words'
        : 'use dot-separated words of letters, digits, `_` and `-` (wildcards belong in subscriptions)',
    });
  }
}

type Matcher = (topic: string) => boolean;
const matchers = new Map<string, Matcher>();

/** True when `topic` matches `pattern` (`*` one segment, `**` zero or more segments). */
export function matches(pattern: string, topic: string): boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    matcher = compile(pattern);
    if (matchers.size > 10_000) matchers.clear();
    matchers.set(pattern, matcher);
  }
  return matcher(topic);
}

function compile(pattern: string): Matcher {
  if (!pattern.includes('*')) return (topic) => topic === pattern;
  if (pattern === '**') return () => true;
  const want = pattern.split('.');
  return (topic) => matchSegments(want, 0, topic.split('.'), 0);
}

function matchSegments(want: readonly string[], w: number, got: readonly string[], g: number): boolean {
  while (w < want.length) {
    const segment = want[w]!;
    if (segment === '**') {
      if (w === want.length - 1) return true;
      for (let skip = g; skip <= got.length; skip++) if (matchSegments(want, w + 1, got, skip)) return true;
      return false;
    }
    if (g >= got.length) return false;
    if (segment !== '*' && segment !== got[g]) return false;
    w++;
    g++;
  }
  return g === got.length;
}
