import { summarize } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderDiagnostic } from '../output/render-diagnostics.js';
import { style } from '../output/style.js';
import { renderTable } from '../output/table.js';

/**
 * `jovian plugins list [--json] [--all]`: every plugin with its state, without loading any plugin
 * code. `--all` includes the core plugins.
 */
export async function pluginsList(
  ctx: CliContext,
  options: { json?: boolean; all?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const plugins = host
    .records()
    .filter((r) => options.all || r.category !== 'core')
    .map(summarize);
  if (options.json) {
    ctx.json({ plugins });
    return EXIT.OK;
  }
  for (const problem of host.hostDiagnostics.filter((d) => d.severity === 'error'))
    ctx.io.err(`${renderDiagnostic(problem)}\n`);
  if (plugins.length === 0) {
    ctx.line(`No plugins found in ${host.config.pluginDirs.join(', ')}.`);
    return EXIT.OK;
  }
  const rows = plugins.map((p) => [
    p.id,
    p.legacy ? `${p.name} ${style.yellow('(legacy)')}` : p.name,
    p.type,
    p.version ?? '-',
    p.runtime ?? '-',
    colourState(p.state),
    colourTrust(p.trust, p.dev_unsigned),
    p.breaker === 'closed' ? style.dim('closed') : style.red(p.breaker),
    p.reason ?? '',
  ]);
  ctx.line(
    renderTable(['ID', 'NAME', 'TYPE', 'VERSION', 'RUNTIME', 'STATE', 'TRUST', 'BREAKER', 'REASON'], rows),
  );
  return EXIT.OK;
}

export function colourState(state: string): string {
  if (state === 'ready' || state === 'resolved') return style.green(state);
  if (state === 'error' || state === 'blocked') return style.red(state);
  if (state === 'disabled' || state === 'stopped') return style.dim(state);
  return style.yellow(state);
}

/** Green for official and verified, yellow for community, red for unsigned ("dev / unsigned" in dev). */
export function colourTrust(trust: string, devUnsigned: boolean): string {
  if (trust === 'official' || trust === 'verified') return style.green(trust);
  if (trust === 'community') return style.yellow(trust);
  return style.red(devUnsigned ? 'dev / unsigned' : trust);
}
