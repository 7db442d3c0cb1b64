import { join, resolve } from 'node:path';
import { errorToData } from '../../errors.js';
import {
  buildPluginReport,
  type HostHealth,
  type LiveHealth,
  type PluginSummary,
  reportFileName,
  reportMarkdown,
} from '../../host/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderDiagnostic } from '../output/render-diagnostics.js';
import { runningServer } from '../server-api.js';
import { shown } from './inventory.js';

/**
 * `jovian plugins report [--out <dir>] [--json]`: reports/plugin_report_YYYYMMDD.md (UTC date) under
 * `--out` (default: the current folder). States and health checks come from the `jovian serve`
 * running over the data directory when there is one, else from a local load. Exits 0 whatever the
 * plugins' states: the report tells them.
 */
export async function pluginsReport(
  ctx: CliContext,
  options: { out?: string; json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const live = await liveHealth(ctx, host.config.dataDir);
  const now = new Date();
  const report = buildPluginReport(host.records(), { now, live });
  const file = join(resolve(options.out ?? '.'), 'reports', reportFileName(now));
  await writeFileAtomic(file, reportMarkdown(report));
  if (options.json) {
    ctx.json({ file, server: report.server, counts: report.counts });
    return EXIT.OK;
  }
  const c = report.counts;
  ctx.line(
    `${c.total} plugins: ${c.active} active, ${c.enabled} enabled, ${c.disabled} disabled, ${c.failed} failed (${report.server ? `from ${report.server}` : 'local load'})`,
  );
  ctx.line(`wrote ${shown(file)}`);
  return EXIT.OK;
}

/** What the running server says, or undefined (with a warning when it runs but does not answer). */
async function liveHealth(ctx: CliContext, dataDir: string): Promise<LiveHealth | undefined> {
  const server = await runningServer(dataDir);
  if (!server) return undefined;
  try {
    const health = await server.request<HostHealth>('GET', '/api/health');
    const { plugins } = await server.request<{ plugins: PluginSummary[] }>('GET', '/api/plugins');
    const runtimes = new Map(plugins.map((p) => [p.id, p.runtime]));
    return {
      url: server.url,
      plugins: Object.fromEntries(
        Object.entries(health.plugins).map(([id, live]) => [id, { ...live, runtime: runtimes.get(id) }]),
      ),
    };
  } catch (error) {
    ctx.io.err(
      `${renderDiagnostic({ ...errorToData(error), severity: 'warning' })}\n    the report uses a local load instead\n`,
    );
    return undefined;
  }
}
