/**
 * The top-level keys of `edited` whose value differs from `saved` (compared as JSON), with their new
 * value: what the settings form sends, so that untouched keys (and the project's overrides behind
 * them) are left alone. A key the form left empty (`undefined`) is not sent: the API has no way to
 * remove a key, and JSON would drop it anyway.
 */
export function changedValues(
  saved: Readonly<Record<string, unknown>>,
  edited: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(edited)) {
    if (value === undefined) continue;
    if (JSON.stringify(value) !== JSON.stringify(saved[key])) changed[key] = value;
  }
  return changed;
}
