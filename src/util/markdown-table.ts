/**
 * Markdown for generated documents (inventories, plugin docs, reports): tables whose cells cannot break
 * the table, whatever text a manifest holds.
 */

/** One table cell: `|` escaped, line breaks turned into spaces, empty shown as `-`. */
export function markdownCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
  return flat === '' ? '-' : flat;
}

/** A Markdown table; every cell goes through `markdownCell`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const line = (cells: readonly unknown[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Inline code that survives backticks inside `text`. */
export function markdownCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}
