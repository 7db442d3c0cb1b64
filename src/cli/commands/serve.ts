import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { ChatPipeline, JOVIAN_VERSION } from '../../host/index.js';
import { announceServer, createServer, serverFile } from '../../server/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { describeReload } from './plugins-reload.js';

export interface ServeOptions {
  readonly host?: string;
  readonly port?: string;
  /** Developer mode: reload a plugin when one of its files is saved. */
  readonly watch?: boolean;
}

/**
 * `jovian serve [--host 127.0.0.1] [--port 4300] [--watch]`: starts the host and serves its API on
 * loopback by default; prints the login URL (the token is kept in <data-dir>/server-token). With
 * `--watch` (developer mode), saving a plugin's file reloads it, and says how it went. Stops on SIGINT
 * or SIGTERM: the server closes, then plugins are deactivated, dependents first.
 * @throws JOVIAN_E_RELOAD_REFUSED for `--watch` outside developer mode, before anything starts
 */
export async function serve(ctx: CliContext, options: ServeOptions): Promise<ExitCode> {
  const host = ctx.host();
  await host.start();
  const watch = options.watch
    ? await host.watch({
        onReload: (result) => ctx.line(describeReload(result)),
        onError: (error) => ctx.io.err(`${style.red('reload refused')}: ${error.message}\n`),
      })
    : undefined;
  await watch?.ready;
  const chat = new ChatPipeline(host);
  await chat.lifecycle('on_startup');
  const { app, token } = await createServer({ host });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: Number(options.port ?? 4300) });
  await announceServer(host.config.dataDir, address);
  const plugins = host.records().filter((r) => r.category !== 'core').length;
  ctx.line(`${style.bold(`Jovian ${JOVIAN_VERSION}`)} serving ${plugins} plugins at ${address}`);
  ctx.line(`login: ${address}/login?token=${token}`);
  if (watch) ctx.line(style.dim(`watching ${host.config.pluginDirs.join(', ')}: save a plugin to reload it`));
  if (!/^http:\/\/(127\.|\[::1\]|localhost)/.test(address))
    ctx.io.err(
      `${style.red('warning')}: listening beyond this machine (${address}); anyone with the token can manage plugins\n`,
    );
  const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  ctx.line(`stopping (${String(signal[0] ?? 'signal')})`);
  await watch?.close();
  await app.close();
  await rm(serverFile(host.config.dataDir), { force: true });
  await chat.lifecycle('on_shutdown');
  await host.stop();
  return EXIT.OK;
}
