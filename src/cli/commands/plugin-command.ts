import type { CommandInvocation } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/**
 * `jovian <plugin command> [args…] [--option value] [--flag]`: activates the plugin that declares the
 * command (`onCommand:<name>`) and prints what its handler returns (text as is, anything else as JSON).
 */
export async function pluginCommand(
  ctx: CliContext,
  name: string,
  raw: readonly string[],
): Promise<ExitCode> {
  const host = ctx.host();
  await host.start();
  const result = await host.invokeCommand(name, parseInvocation(raw));
  if (typeof result === 'string') ctx.line(result);
  else if (result !== undefined) ctx.json(result);
  return EXIT.OK;
}

/** `a b --name x --flag -- --literal` → args ['a', 'b', '--literal'], options { name: 'x', flag: true }. */
export function parseInvocation(raw: readonly string[]): CommandInvocation {
  const args: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i]!;
    if (token === '--') {
      args.push(...raw.slice(i + 1));
      break;
    }
    if (token.startsWith('--') && token.length > 2) {
      const [name, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (inline !== undefined) options[name] = inline;
      else if (raw[i + 1] !== undefined && !raw[i + 1]!.startsWith('--')) options[name] = raw[++i]!;
      else options[name] = true;
    } else {
      args.push(token);
    }
  }
  return { args, options };
}
