import { errorToData } from '../../errors.js';
import { defaultDataDir, type ReloadResult } from '../../host/index.js';
import type { ApiReloadResult } from '../../server/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { runningServer } from '../server-api.js';

/**
 * `jovian plugins reload <id> [--json]` (developer mode). When `jovian serve` runs over the data
 * directory, it is asked to reload the plugin (`POST /api/plugins/:id/reload`): the running host swaps
 * the code, and the WebUI remounts the plugin's panels; the server's developer mode decides. Otherwise
 * (`--dev` needed) the command loads the plugin, then reloads it from disk the way a running host does
 * (its `on_shutdown`, the new version, its `on_startup`) and reports how it went: it shows whether the
 * files on disk now load and start; `jovian --dev chat --watch` keeps a host running and reloads on
 * every save.
 */
export async function pluginsReload(
  ctx: CliContext,
  id: string,
  options: { json?: boolean },
): Promise<ExitCode> {
  const server = await runningServer(ctx.options.dataDir ?? defaultDataDir());
  const result = server
    ? await server.request<ApiReloadResult>('POST', `/api/plugins/${encodeURIComponent(id)}/reload`)
    : await reloadHere(ctx, id);
  if (options.json) ctx.json(result);
  else ctx.line(`${describeReload(result)}${server ? style.dim(` (in jovian serve at ${server.url})`) : ''}`);
  return result.ok ? EXIT.OK : EXIT.FAILURE;
}

/** No server runs: a host of this command's own loads the plugin, then reloads it. */
async function reloadHere(ctx: CliContext, id: string): Promise<ReloadResult> {
  const host = ctx.host();
  await host.start();
  if (!host.developerMode) await host.reload(host.require(id).id); // refused, with the hint
  // A command starts its own host: the version on disk must load first, then it is reloaded as a
  // running host would (its on_shutdown, unloaded, loaded again, its on_startup).
  return host.activate(id, 'explicit').then(
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
}

/** One line on a reload's outcome, for the terminal. */
export function describeReload(result: ReloadResult | ApiReloadResult): string {
  if (result.ok) return `${style.green('reloaded')} ${result.id} ${result.from} → ${result.to}`;
  const kept = result.rolledBack
    ? ` — version ${result.from} keeps serving`
    : result.wasActive
      ? ` — version ${result.from} could not be run again`
      : '';
  return `${style.red('reload failed')} ${result.id}: ${result.error?.message ?? 'unknown error'}${kept}${result.crashDump ? ` (crash dump: ${result.crashDump})` : ''}`;
}
