import { errorToData } from '../../errors.js';
import type { ReloadResult } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';

/**
 * `jovian --dev plugins reload <id> [--json]`: loads the plugin, then reloads it from disk the way a
 * running host does (its `on_shutdown`, the new version, its `on_startup`) and reports how it went. A
 * command has no long-running host to swap code in: it shows whether the files on disk now load and
 * start; `jovian --dev chat --watch` keeps a host running and reloads on every save.
 */
export async function pluginsReload(
  ctx: CliContext,
  id: string,
  options: { json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.start();
  if (!host.developerMode) await host.reload(host.require(id).id); // refused, with the hint
  // A command starts its own host: the version on disk must load first, then it is reloaded as a
  // running host would (its on_shutdown, unloaded, loaded again, its on_startup).
  const result = await host.activate(id, 'explicit').then(
    () => host.reload(id),
    (error: Error): ReloadResult => {
      const record = host.require(id);
      return {
        id,
        ok: false,
        from: record.manifest?.version ?? '?',
        to: record.manifest?.version,
        wasActive: false,
        rolledBack: false,
        error: errorToData(error),
      };
    },
  );
  if (options.json) ctx.json(result);
  else ctx.line(describeReload(result));
  return result.ok ? EXIT.OK : EXIT.FAILURE;
}

/** One line on a reload's outcome, for the terminal. */
export function describeReload(result: ReloadResult): string {
  if (result.ok) return `${style.green('reloaded')} ${result.id} ${result.from} → ${result.to}`;
  const kept = result.rolledBack
    ? ` — version ${result.from} keeps serving`
    : result.wasActive
      ? ` — version ${result.from} could not be run again`
      : '';
  return `${style.red('reload failed')} ${result.id}: ${result.error?.message ?? 'unknown error'}${kept}${result.crashDump ? ` (crash dump: ${result.crashDump})` : ''}`;
}
