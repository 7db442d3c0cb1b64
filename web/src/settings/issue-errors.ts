import type { ErrorSchema } from '@rjsf/utils';

/** What is used of an ApiConfigIssue, written out: test/unit/web imports this file under Node's rules. */
interface PlacedIssue {
  readonly pointer: string;
  readonly message: string;
}

/** `/limits/max` → `['limits', 'max']` (RFC 6901: `~1` is `/`, `~0` is `~`); `''` is the root. */
export function pointerPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The server's refusals placed where rjsf shows a field's errors (its `extraErrors`): each message
 * goes under the path of its JSON pointer. A pointer naming no field of the form still lands in the
 * schema (rjsf ignores it); the summary above the form lists every message anyway.
 */
export function issueErrors(issues: readonly PlacedIssue[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const part of pointerPath(issue.pointer)) {
      const child = node[part];
      node[part] = typeof child === 'object' && child !== null ? child : {};
      node = node[part] as Record<string, unknown>;
    }
    const errors = Array.isArray(node['__errors']) ? (node['__errors'] as string[]) : [];
    node['__errors'] = [...errors, plain(issue.message)];
  }
  return root as ErrorSchema;
}

/** The server writes keys between backticks (for terminals); the page shows them as plain text. */
export function plain(message: string): string {
  return message.replace(/`/g, '');
}
