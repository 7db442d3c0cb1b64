import { diagnostic } from '../../errors.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderDiagnostic } from '../output/render-diagnostics.js';

/**
 * `jovian plugins lock [--update <id>...] [--json]`: writes jovian.lock from the plugins found — all
 * of them, or only the named ones (a named plugin that is gone loses its entry).
 */
export async function pluginsLock(
  ctx: CliContext,
  options: { update?: string[]; json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const only = options.update && options.update.length > 0 ? options.update : undefined;
  const result = await host.lock.write(only);
  if (options.json) {
    ctx.json(result);
    return EXIT.OK;
  }
  ctx.line(`wrote ${result.file} (${result.locked} plugin${result.locked === 1 ? '' : 's'})`);
  for (const change of result.changes) {
    if (change.change === 'unchanged') continue;
    const details = change.details.length > 0 ? `: ${change.details.join('; ')}` : '';
    ctx.line(`  ${change.change.padEnd(8)}${change.id}${details}`);
  }
  return EXIT.OK;
}

/**
 * `jovian plugins lock verify [--json]`: every difference between the plugins found and jovian.lock —
 * changed, enabled flag, unlisted, gone. Exits 1 when there is any, 0 when the lock matches.
 */
export async function pluginsLockVerify(ctx: CliContext, options: { json?: boolean }): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const report = await host.lock.verify();
  const ok = report.findings.length === 0;
  if (options.json) {
    ctx.json({
      ok,
      file: report.file,
      locked: report.locked,
      problems: report.findings.map(({ id, kind, code, message, drifts }) => ({
        id,
        kind,
        code,
        message,
        drifts: drifts.map((d) => ({ kind: d.kind, message: d.message })),
      })),
    });
  } else if (ok) {
    ctx.line(`jovian.lock matches ${report.locked} plugin${report.locked === 1 ? '' : 's'} (${report.file})`);
  } else {
    for (const finding of report.findings)
      ctx.line(
        renderDiagnostic(
          diagnostic(finding.code, finding.message, {
            plugin: finding.id,
            hint: finding.kind === 'changed' ? hintFor(finding.id) : undefined,
          }),
        ),
      );
    ctx.line(
      `\n${report.findings.length} difference${report.findings.length === 1 ? '' : 's'} from ${report.file}`,
    );
  }
  return ok ? EXIT.OK : EXIT.FAILURE;
}

function hintFor(id: string): string {
  return `if you accept the change, run \`jovian plugins lock --update ${id}\``;
}
