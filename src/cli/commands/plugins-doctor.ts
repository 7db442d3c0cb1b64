import { runDoctor } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderDiagnostic } from '../output/render-diagnostics.js';
import { style } from '../output/style.js';

/**
 * `jovian plugins doctor [--json]`: validates every manifest and config, the dependency graph and the
 * host range, without running plugin code. Exits 1 when anything is an error.
 */
export async function pluginsDoctor(ctx: CliContext, options: { json?: boolean }): Promise<ExitCode> {
  const report = await runDoctor(ctx.host());
  if (options.json) {
    ctx.json(report);
  } else {
    for (const diagnostic of report.diagnostics) ctx.line(renderDiagnostic(diagnostic));
    const { plugins, errors, warnings } = report.summary;
    const verdict = report.ok ? style.green('ok') : style.red('problems found');
    ctx.line(
      `${report.diagnostics.length ? '\n' : ''}${plugins} plugins checked: ${errors} errors, ${warnings} warnings — ${verdict}`,
    );
  }
  return report.ok ? EXIT.OK : EXIT.FAILURE;
}
