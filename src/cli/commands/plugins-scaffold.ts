import { delimiter, join, relative } from 'node:path';
import { scaffoldPlugin } from '../../packaging/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

export interface ScaffoldCliOptions {
  readonly type?: string;
  readonly runtime?: string;
  readonly withUi?: boolean;
  /** false with --no-ui (commander's negation). */
  readonly ui?: boolean;
  readonly withCli?: boolean;
  readonly cli?: boolean;
  readonly dir?: string;
  readonly json?: boolean;
}

/**
 * `jovian plugins scaffold <id>`: writes a new plugin into the first plugins directory (else
 * ./plugins), or into --dir, and says what to do next.
 */
export async function pluginsScaffold(
  ctx: CliContext,
  id: string,
  options: ScaffoldCliOptions,
): Promise<ExitCode> {
  const fromEnv = process.env.JOVIAN_PLUGINS_DIR?.split(delimiter).filter(Boolean);
  const pluginsDir = ctx.options.pluginsDir?.[0] ?? fromEnv?.[0] ?? join(process.cwd(), 'plugins');
  const result = await scaffoldPlugin({
    id,
    type: options.type,
    runtime: options.runtime,
    ui: options.ui === false ? false : options.withUi,
    cli: options.cli === false ? false : options.withCli,
    dir: options.dir,
    pluginsDir,
  });
  if (options.json) {
    ctx.json(result);
    return EXIT.OK;
  }
  const shown = (path: string) => relative(process.cwd(), path) || '.';
  ctx.line(`created ${result.id} (${result.runtime}) in ${shown(result.target)}`);
  for (const file of result.files) ctx.line(`  ${shown(file)}`);
  if (result.runtime === 'lua') ctx.line(`next: jovian plugins doctor, then jovian chat "hello"`);
  else ctx.line(`next: node --test ${shown(join(result.target, 'test'))}, then jovian serve`);
  return EXIT.OK;
}
