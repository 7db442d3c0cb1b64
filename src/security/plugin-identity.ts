import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JovianError } from '../errors.js';
import { parseYamlSource } from '../util/index.js';

/** The id and version a plugin folder declares in its plugin.yaml. */
export interface PluginIdentity {
  readonly id: string;
  readonly version: string;
}

export async function readPluginIdentity(root: string): Promise<PluginIdentity> {
  const file = join(root, 'plugin.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new JovianError('JOVIAN_E_MANIFEST_NOT_FOUND', `${root} has no plugin.yaml`, {
      cause: error,
      hint: 'Packages are made from plugin folders with a plugin.yaml (see docs/plugin-authoring.md).',
    });
  }
  const source = parseYamlSource(text, file);
  const value = source.value as { id?: unknown; version?: unknown };
  if (typeof value.id !== 'string' || typeof value.version !== 'string')
    throw new JovianError('JOVIAN_E_MANIFEST_MISSING_FIELD', `${file}: \`id\` and \`version\` are required`, {
      where: source.locate([]),
    });
  return { id: value.id, version: String(value.version) };
}
