import { renderTree, resolveGraph } from '../../graph/index.js';
import { ChatPipeline, JOVIAN_VERSION, summarize } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { renderExchange } from './chat.js';

const MESSAGES = ['   Hello    Jovian!   ', '/help', '/status', '/weather'];

/**
 * `jovian demo`: a guided tour of the host over the configured plugins — what is known before any
 * plugin code runs, what starts with the host, a `run`, chat messages through the hooks, the graph.
 */
export async function demo(ctx: CliContext): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  ctx.line(style.bold(`Jovian ${JOVIAN_VERSION} — demo host`));
  ctx.line(style.dim(`plugins: ${host.config.pluginDirs.join(', ')}   data: ${host.config.dataDir}`));
  section(ctx, 'Discovered and resolved — no plugin code has run yet');
  table(
    ctx,
    host
      .records()
      .filter((r) => r.category !== 'core')
      .map(summarize),
  );

  await host.start();
  const pipeline = new ChatPipeline(host);
  await pipeline.lifecycle('on_startup');
  section(
    ctx,
    'Started — system plugins and onStartup tools are ready; the others wait for their activation event',
  );
  table(
    ctx,
    host
      .records()
      .filter((r) => r.category !== 'core')
      .map(summarize),
  );

  if (host.record('system_info')?.manifest) {
    section(ctx, 'jovian run system_info');
    ctx.line(JSON.stringify(await host.run('system_info', {}), null, 2));
  }
  for (const message of MESSAGES) {
    section(ctx, `jovian chat ${JSON.stringify(message)}`);
    for (const line of renderExchange(await pipeline.send(message))) ctx.line(line);
  }
  section(ctx, 'Dependency graph');
  ctx.line(renderTree(host.graphInput, resolveGraph(host.graphInput)));
  await pipeline.lifecycle('on_shutdown');
  section(ctx, 'Try next');
  const flags = `--plugins-dir ${host.config.pluginDirs[0]} --data-dir ${host.config.dataDir}`;
  for (const example of [
    'plugins list',
    'plugins info daily_digest',
    'plugins doctor',
    'plugins graph --mermaid',
    'chat "/help"',
    'run system_info',
  ]) {
    ctx.line(`  node bin/jovian.js ${flags} ${example}`);
  }
  return EXIT.OK;
}

function section(ctx: CliContext, title: string): void {
  ctx.line(`\n${style.cyan('▸')} ${style.bold(title)}`);
}

function table(ctx: CliContext, plugins: ReturnType<typeof summarize>[]): void {
  ctx.line(
    renderTable(
      ['ID', 'TYPE', 'STATE', 'ACTIVATED BY / REASON'],
      plugins.map((p) => [p.id, p.type, p.state, p.reason ?? '']),
    ),
  );
}
