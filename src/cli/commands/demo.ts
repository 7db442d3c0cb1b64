import { relative } from 'node:path';
import { renderTree, resolveGraph } from '../../graph/index.js';
import {
  type ChatHooks,
  ChatPipeline,
  JOVIAN_VERSION,
  type PluginHost,
  type PluginRecord,
} from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { renderExchange } from './render-exchange.js';

const MESSAGES = ['   Hello    Jovian!   ', '/help', '/status', '/weather'];

/**
 * `jovian demo`: a guided tour of the host over the configured plugins — what is known before any
 * plugin code runs, what starts with the host, a `run`, chat messages through the hooks, a plugin's own
 * command, the graph, and finally which plugins the tour loaded and why.
 */
export async function demo(ctx: CliContext): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  ctx.line(style.bold(`Jovian ${JOVIAN_VERSION} — demo host`));
  ctx.line(
    style.dim(`plugins: ${shown(host.config.pluginDirs.join(', '))}   data: ${shown(host.config.dataDir)}`),
  );
  section(ctx, 'Discovered and resolved from plugin.yaml files and Lua headers — no plugin code has run yet');
  table(ctx, host);

  await host.start();
  const pipeline = new ChatPipeline(host);
  await pipeline.lifecycle('on_startup');
  section(
    ctx,
    'Started: core and system plugins, and tools that tap on_startup — the others wait for their activation event',
  );
  table(ctx, host);

  if (host.record('system_info')?.manifest) {
    section(ctx, 'jovian run system_info   (loads system_info now)');
    ctx.line(JSON.stringify(await host.run('system_info', {}), null, 2));
  }
  for (const message of MESSAGES) {
    section(ctx, `jovian chat ${JSON.stringify(message)}`);
    for (const line of renderExchange(await pipeline.send(message))) ctx.line(line);
  }
  if (host.contributions.commandOwner('digest')) {
    section(ctx, 'jovian digest   (a command contributed by daily_digest, which needs quotes)');
    ctx.line(String(await host.invokeCommand('digest', { args: [], options: {} })));
  }
  if (host.contributions.commandOwner('count-words')) {
    section(
      ctx,
      'jovian count-words plugins run anywhere   (a Python plugin, speaking the protocol on stdio)',
    );
    ctx.line(
      JSON.stringify(
        await host
          .invokeCommand('count-words', { args: ['plugins', 'run', 'anywhere'], options: {} })
          .catch((error: Error) => `failed: ${error.message}`),
      ),
    );
  }
  await crashAndRecover(ctx, host, 'activity_monitor');
  section(ctx, 'Dependency graph');
  ctx.line(renderTree(host.graphInput, resolveGraph(host.graphInput)));
  await pipeline.lifecycle('on_shutdown');
  section(ctx, 'After the tour: each plugin was loaded only when something needed it');
  table(ctx, host);
  section(ctx, 'Try next');
  const allowed = ctx.options.allowInprocess ?? [];
  const flags = `--plugins-dir ${shown(host.config.pluginDirs[0] ?? '')} --data-dir ${shown(host.config.dataDir)}${allowed.length > 0 ? ` --allow-inprocess ${allowed.join(',')}` : ''}`;
  for (const example of [
    'plugins list',
    'plugins info daily_digest',
    'plugins doctor',
    'plugins graph --mermaid',
    'chat "/status"',
    'digest',
    'config set daily_digest numbered false',
    'serve   # then open the login URL it prints: the WebUI',
  ]) {
    ctx.line(`  node bin/jovian.js ${flags} ${example}`);
  }
  return EXIT.OK;
}

function section(ctx: CliContext, title: string): void {
  ctx.line(`\n${style.cyan('▸')} ${style.bold(title)}`);
}

function table(ctx: CliContext, host: PluginHost<ChatHooks>): void {
  const rows = host
    .records()
    .filter((r) => r.category !== 'core')
    .map((r) => [
      r.id,
      r.category,
      runtimeOf(r),
      r.state,
      r.state === 'ready' ? `${r.outcome.activatedBy ?? ''}` : (r.reason ?? ''),
    ]);
  ctx.line(renderTable(['ID', 'TYPE', 'RUNTIME', 'STATE', 'LOADED BY / REASON'], rows));
}

/** Where the plugin runs; `process (declared inprocess)` when the isolation policy moved it. */
function runtimeOf(record: PluginRecord): string {
  const runtime = record.legacy ? 'inprocess (legacy)' : (record.manifest?.runtime ?? '-');
  return record.declaredRuntime ? `${runtime} (declared ${record.declaredRuntime})` : runtime;
}

/** A path relative to the working folder when it is inside it (shorter, and no machine-specific prefix). */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

/** Kills a system plugin's process, to show the host carrying on and restarting it by itself. */
async function crashAndRecover(ctx: CliContext, host: PluginHost<ChatHooks>, id: string): Promise<void> {
  const record = host.record(id);
  const pid = record?.active?.instance.pid;
  if (!record || pid === undefined) return;
  section(ctx, `kill -9 ${pid}   (the process of ${id}, a system plugin)`);
  const back = new Promise<void>((resolve) => {
    const subscription = host.events.subscribe('plugin.state', (event) => {
      const change = event.payload as { id: string; to: string; reason?: string };
      if (change.id !== id) return;
      ctx.line(`  ${id}: ${change.to}${change.reason ? ` — ${change.reason}` : ''}`);
      if (change.to === 'ready') {
        subscription.dispose();
        resolve();
      }
    });
  });
  process.kill(pid, 'SIGKILL');
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
  await Promise.race([back, timeout]);
  const now = host.record(id)?.active?.instance.pid;
  ctx.line(
    now === undefined
      ? `  ${id} is ${record.state}: ${record.reason ?? ''}`
      : `  back by itself in a new process (pid ${now}); the host answered throughout`,
  );
}
