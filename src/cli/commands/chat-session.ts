import { createInterface } from 'node:readline';
import { ChatPipeline } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { describeReload } from './plugins-reload.js';
import { renderExchange } from './render-exchange.js';

/**
 * `jovian --dev chat --watch`: a chat session on a running host that watches the plugins: each line
 * read from stdin goes through the chat hooks; saving a plugin's file reloads it (a version that
 * fails leaves the previous one serving, and says why). Ends at the end of input (Ctrl-D).
 */
export async function chatSession(ctx: CliContext): Promise<ExitCode> {
  const host = ctx.host();
  await host.start();
  const pipeline = new ChatPipeline(host);
  await pipeline.lifecycle('on_startup');
  const watch = await host.watch({
    onReload: (result) => ctx.line(describeReload(result)),
    onError: (error) => ctx.io.err(`${style.red('reload refused')}: ${error.message}\n`),
  });
  await watch.ready;
  ctx.line(
    style.dim(
      `watching ${host.config.pluginDirs.join(', ')}: save a plugin to reload it. Type a message or a /command; Ctrl-D ends.`,
    ),
  );
  try {
    for await (const line of createInterface({ input: process.stdin, terminal: false })) {
      if (line.trim() === '') continue;
      for (const out of renderExchange(await pipeline.send(line))) ctx.line(out);
    }
  } finally {
    await watch.close();
    await pipeline.lifecycle('on_shutdown');
  }
  return EXIT.OK;
}
