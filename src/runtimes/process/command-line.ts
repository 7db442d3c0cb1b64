import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { JovianError } from '../../errors.js';

/** A manifest's `command`, ready to spawn. */
export interface ResolvedCommand {
  /** The program, as an absolute path. */
  readonly file: string;
  readonly args: readonly string[];
}

export interface CommandContext {
  /** The plugin folder: relative paths in `command` start there (the process runs in its data folder). */
  readonly pluginDir: string;
  /** The PATH the program is looked up on (the plugin's scrubbed environment). */
  readonly searchPath: string | undefined;
  /** "plugin `x`", for messages. */
  readonly label: string;
}

/**
 * Resolves a manifest's `command` the way a shell would, but against the plugin folder instead of
 * the working folder: a program name without `/` is looked up on PATH, a path with `/` is taken from
 * the plugin folder; every other item that names a file inside the plugin folder (`plugin.py`,
 * `lib/main.rb`) becomes its absolute path, and the rest (`-u`, `--fast`) passes unchanged.
 * @throws JOVIAN_E_EXECUTABLE_NOT_FOUND when the program is missing or cannot be run
 */
export async function resolveCommand(
  argv: readonly string[],
  context: CommandContext,
): Promise<ResolvedCommand> {
  const [program, ...rest] = argv;
  if (program === undefined)
    throw new JovianError('JOVIAN_E_EXECUTABLE_NOT_FOUND', `${context.label}: \`command\` is empty`);
  const file = await findProgram(program, context);
  const args = await Promise.all(rest.map((arg) => pluginFileOrSame(arg, context.pluginDir)));
  return { file, args };
}

async function findProgram(program: string, context: CommandContext): Promise<string> {
  const hasSlash = program.includes('/') || (process.platform === 'win32' && program.includes('\\'));
  if (isAbsolute(program) || hasSlash) {
    const file = resolve(context.pluginDir, program);
    const problem = await whyNotRunnable(file);
    if (problem === undefined) return file;
    throw new JovianError(
      'JOVIAN_E_EXECUTABLE_NOT_FOUND',
      `${context.label}: the program \`${program}\` (command[0] in plugin.yaml) ${problem}: ${file}`,
      problem === 'is not executable' ? { hint: `make it executable: chmod +x ${file}` } : {},
    );
  }
  const dirs = (context.searchPath ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) {
    for (const name of candidates(program)) {
      const file = join(dir, name);
      if ((await whyNotRunnable(file)) === undefined) return file;
    }
  }
  throw new JovianError(
    'JOVIAN_E_EXECUTABLE_NOT_FOUND',
    `${context.label}: the program \`${program}\` (command[0] in plugin.yaml) was not found on PATH`,
    {
      hint: `install \`${program}\` so that it is on the PATH of the user running Jovian, or write its absolute path in \`command\``,
    },
  );
}

/** Windows finds `python` as `python.exe`: try the executable extensions too. */
function candidates(program: string): string[] {
  if (process.platform !== 'win32') return [program];
  const extensions = (process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return [program, ...extensions.map((ext) => program + ext.toLowerCase())];
}

async function whyNotRunnable(file: string): Promise<string | undefined> {
  try {
    if (!(await stat(file)).isFile()) return 'is not a file';
  } catch {
    return 'does not exist';
  }
  if (process.platform === 'win32') return undefined;
  try {
    await access(file, constants.X_OK);
    return undefined;
  } catch {
    return 'is not executable';
  }
}

async function pluginFileOrSame(arg: string, pluginDir: string): Promise<string> {
  if (arg === '' || isAbsolute(arg) || arg.startsWith('-')) return arg;
  const candidate = resolve(pluginDir, arg);
  const inside = relative(pluginDir, candidate);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return arg;
  try {
    await stat(candidate);
    return candidate;
  } catch {
    return arg;
  }
}
