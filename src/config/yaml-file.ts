import { readFile } from 'node:fs/promises';
import { type Document, parseDocument } from 'yaml';
import { JovianError } from '../errors.js';
import { parseYamlSource, writeFileAtomic, type YamlSource } from '../util/index.js';

/** The text of `file`, or undefined when it does not exist. @throws JOVIAN_E_FILE_READ_FAILED */
async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JovianError('JOVIAN_E_FILE_READ_FAILED', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A YAML file read safely; a missing file reads as an empty mapping located at line 1. */
export async function readYamlFile(
  file: string,
): Promise<{ exists: boolean; source: YamlSource; text: string }> {
  const text = await readIfExists(file);
  if (text === undefined) {
    return {
      exists: false,
      text: '',
      source: { file, value: {}, locate: () => ({ file, line: 1, column: 1 }) },
    };
  }
  return { exists: true, text, source: parseYamlSource(text, file, { allowEmpty: true }) };
}

/**
 * Changes a YAML file through the yaml Document API, so the user's comments, key order and layout
 * survive; the new text is parsed and `check`ed before it replaces the old one (atomically). A file that
 * is not valid YAML is never overwritten. `mode` is the file mode if the file is created or replaced.
 */
export async function editYamlFile(
  file: string,
  edit: (doc: Document) => void,
  check: (text: string) => Promise<void>,
  mode?: number,
): Promise<void> {
  const text = (await readIfExists(file)) ?? '';
  if (text.trim() !== '') parseYamlSource(text, file, { allowEmpty: true });
  const doc = parseDocument(text);
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  edit(doc);
  const next = doc.toString();
  await check(next);
  await writeFileAtomic(file, next, mode === undefined ? {} : { mode });
}
