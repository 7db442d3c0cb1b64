import type { JsonSchema, SourceLocation } from '../types.js';
import { parseYamlSource } from '../util/index.js';
import { checkValues, type Locator } from './check-values.js';
import { ConfigError } from './config-error.js';
import { readYamlFile } from './yaml-file.js';

export interface ProjectPluginSettings {
  readonly enabled?: boolean | undefined;
  readonly config_overrides?: Readonly<Record<string, unknown>> | undefined;
}

/** A project file `<name>.jovian.yaml`, normalised. */
export interface ProjectConfig {
  readonly file: string;
  readonly name?: string | undefined;
  readonly plugins: Readonly<Record<string, ProjectPluginSettings>>;
  /** Where a value of this file is, for messages about overrides. */
  readonly locate: Locator;
}

export const PROJECT_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    plugins: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { enabled: { type: 'boolean' }, config_overrides: { type: 'object' } },
      },
    },
  },
};

/**
 * Reads a project file (a missing file means no per-project settings).
 * @throws ConfigError or a YAML error at file:line:column.
 */
export async function loadProjectConfig(file: string): Promise<ProjectConfig> {
  const { exists, source } = await readYamlFile(file);
  const issues = exists ? await checkValues(source.value, PROJECT_CONFIG_SCHEMA, source.locate) : [];
  if (issues.length > 0)
    throw new ConfigError(issues, 'see docs/configuration.md for the keys of a project file');
  const raw = source.value as { name?: string; plugins?: Record<string, ProjectPluginSettings> };
  return { file, name: raw.name, plugins: raw.plugins ?? {}, locate: source.locate };
}

export async function checkProjectText(text: string, file: string): Promise<void> {
  const source = parseYamlSource(text, file, { allowEmpty: true });
  const issues = await checkValues(source.value, PROJECT_CONFIG_SCHEMA, source.locate);
  if (issues.length > 0) throw new ConfigError(issues);
}

/** The overrides a project gives one plugin, with a locator into the project file. */
export function projectOverrides(
  project: ProjectConfig | undefined,
  id: string,
):
  | {
      values: Readonly<Record<string, unknown>>;
      locate: (path: readonly (string | number)[]) => SourceLocation;
    }
  | undefined {
  const values = project?.plugins[id]?.config_overrides;
  if (!project || !values) return undefined;
  return { values, locate: (path) => project.locate(['plugins', id, 'config_overrides', ...path]) };
}
