/**
 * A plugin's help text (`plugin.<id>.help`) as paragraphs: split on blank lines, each trimmed, empty
 * ones dropped. Shown as text, never as HTML: a plugin's messages cannot inject markup in the page.
 */
export function helpParagraphs(text: string | null): string[] {
  if (text === null) return [];
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
}
