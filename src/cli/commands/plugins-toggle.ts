import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** `jovian plugins enable|disable <id> [--project <file>]`: writes the flag (comments kept) and applies it. */
export async function pluginsToggle(
  ctx: CliContext,
  id: string,
  enabled: boolean,
  options: { project?: string; json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  const result = enabled
    ? await host.enable(id, { projectFile: options.project })
    : await host.disable(id, { projectFile: options.project });
  if (options.json) {
    ctx.json(result);
  } else {
    ctx.line(`${id} ${result.enabled ? 'enabled' : 'disabled'} in ${result.file} (state: ${result.state})`);
    if (result.overriddenBy)
      ctx.io.err(
        `note: ${result.overriddenBy} still sets \`${id}\` to ${result.enabled ? 'enabled' : 'disabled'}; use --project ${result.overriddenBy}\n`,
      );
  }
  return result.enabled === enabled ? EXIT.OK : EXIT.FAILURE;
}
