import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JovianError } from '../errors.js';
import { JOVIAN_VERSION } from '../host/index.js';
import { PLUGIN_ID_RE } from '../manifest/index.js';
import { scaffoldFiles } from './scaffold-files.js';
import type { ScaffoldSpec } from './templates/scaffold-spec.js';

export const SCAFFOLD_RUNTIMES = ['inprocess', 'worker', 'process', 'lua'] as const;
export const SCAFFOLD_TYPES = ['system', 'tool'] as const;

/** What `jovian plugins scaffold` was asked for; anything left out gets its default. */
export interface ScaffoldOptions {
  readonly id: string;
  readonly type?: string | undefined;
  readonly runtime?: string | undefined;
  /** A panel and its messages (default: yes, except for Lua, which has none). */
  readonly ui?: boolean | undefined;
  /** A CLI command (default: yes, except for Lua, which has none). */
  readonly cli?: boolean | undefined;
  /** The plugin folder. Default `<pluginsDir>/<id>`. */
  readonly dir?: string | undefined;
  /** The plugins directory the default folder goes in. */
  readonly pluginsDir: string;
}

export interface ScaffoldResult {
  readonly id: string;
  readonly runtime: ScaffoldSpec['runtime'];
  /** The plugin folder. */
  readonly target: string;
  /** The files written, absolute. */
  readonly files: readonly string[];
}

/**
 * Writes a new plugin that loads in `jovian serve` as is and passes its own tests.
 * @throws JOVIAN_E_SCAFFOLD_BAD_ID, JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED, JOVIAN_E_SCAFFOLD_TARGET_EXISTS,
 *   JOVIAN_E_FILE_WRITE_FAILED
 * @example
 * await scaffoldPlugin({ id: 'weather', runtime: 'worker', pluginsDir: 'plugins' });
 */
export async function scaffoldPlugin(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const base = normalise(options);
  const folder = resolve(options.dir ?? join(options.pluginsDir, base.id));
  const target = folder;
  await refuseExisting(target);
  const spec: ScaffoldSpec = { ...base, schemaRef: schemaRefFrom(folder) };
  const written: string[] = [];
  try {
    for (const file of scaffoldFiles(spec)) {
      const path = join(folder, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { flag: 'wx' });
      written.push(path);
    }
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_FILE_WRITE_FAILED',
      `cannot write the plugin at ${target}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  return { id: spec.id, runtime: spec.runtime, target, files: written };
}

function normalise(options: ScaffoldOptions): Omit<ScaffoldSpec, 'schemaRef'> {
  const { id } = options;
  if (!PLUGIN_ID_RE.test(id))
    throw new JovianError('JOVIAN_E_SCAFFOLD_BAD_ID', `\`${id}\` is not a valid plugin id`);
  const type = oneOf('--type', options.type ?? 'tool', SCAFFOLD_TYPES);
  const runtime = oneOf('--runtime', options.runtime ?? 'inprocess', SCAFFOLD_RUNTIMES);
  const lua = runtime === 'lua';
  if (lua && (options.ui === true || options.cli === true))
    throw new JovianError(
      'JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED',
      `a Lua plugin has no ${options.ui === true ? 'panel (--with-ui)' : 'CLI command (--with-cli)'}: it taps hooks only`,
    );
  if (lua && type === 'system')
    throw new JovianError(
      'JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED',
      'a Lua plugin cannot implement health(), which a system plugin must have',
      {
        hint: 'Use --type tool with --runtime lua, or a Node runtime (inprocess, worker, process) for a system plugin.',
      },
    );
  return {
    id,
    type,
    runtime,
    ui: !lua && options.ui !== false,
    cli: !lua && options.cli !== false,
    command: `${id.replaceAll('_', '-')}:hello`,
    engines: `>=${JOVIAN_VERSION}`,
  };
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new JovianError('JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED', `${option} ${value} is not supported`, {
    hint: `Use ${option} ${allowed.join(', or ')}.`,
  });
}

async function refuseExisting(target: string): Promise<void> {
  const found = await stat(target).catch(() => undefined);
  if (!found) return;
  if (!found.isDirectory() || (await readdir(target)).length > 0)
    throw new JovianError(
      'JOVIAN_E_SCAFFOLD_TARGET_EXISTS',
      `${target} already exists${found.isDirectory() ? ' and is not empty' : ''}; nothing was written`,
    );
}

/** The published schema file, relative to the plugin folder (forward slashes, as YAML comments want). */
function schemaRefFrom(folder: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'schema', 'plugin.schema.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return relative(folder, join(dir, 'schema', 'plugin.schema.json'))
    .split(sep)
    .join('/');
}
