import { basename } from 'node:path';
import { isMap } from 'yaml';
import type { GlobalConfig } from './global-config.js';
import { checkGlobalText } from './global-config.js';
import type { ProjectConfig } from './project-config.js';
import { checkProjectText } from './project-config.js';
import { editYamlFile } from './yaml-file.js';

/** A plugin's enabled flag: the project file wins over jovian.yaml; enabled by default. */
export function isPluginEnabled(
  global: GlobalConfig,
  project: ProjectConfig | undefined,
  id: string,
): boolean {
  return project?.plugins[id]?.enabled ?? global.plugins[id]?.enabled ?? true;
}

/**
 * Writes `plugins.<id>.enabled` into jovian.yaml or a project file (`.jovian.yaml` suffix), creating the
 * file if needed and keeping its comments; the result is validated before it replaces the file.
 */
export async function setPluginEnabled(file: string, id: string, enabled: boolean): Promise<void> {
  const isProject = basename(file) !== 'jovian.yaml';
  await editYamlFile(
    file,
    (doc) => {
      if (!isMap(doc.getIn(['plugins']))) doc.setIn(['plugins'], doc.createNode({}));
      if (!isMap(doc.getIn(['plugins', id]))) doc.setIn(['plugins', id], doc.createNode({}));
      doc.setIn(['plugins', id, 'enabled'], enabled);
    },
    (text) => (isProject ? checkProjectText(text, file) : checkGlobalText(text, file)),
  );
}
