import { JovianError } from '../../errors.js';
import { ChatPipeline } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderExchange } from './render-exchange.js';

/** `jovian chat "<message>" [--json]`: sends a message through the chat hooks and shows what each plugin did. */
export interface ChatOptions {
  readonly json?: boolean;
  /** A session reading messages from stdin, reloading plugins as they are saved (chat-session.ts). */
  readonly watch?: boolean;
}

export async function chat(
  ctx: CliContext,
  message: string | undefined,
  options: ChatOptions,
): Promise<ExitCode> {
  if (options.watch) return (await import('./chat-session.js')).chatSession(ctx);
  if (message === undefined)
    throw new JovianError('JOVIAN_E_CLI_USAGE', 'give a message to send, or --watch for a session', {
      hint: 'jovian chat "hello", or jovian --dev chat --watch to chat while editing plugins',
    });
  const host = ctx.host();
  await host.start();
  const pipeline = new ChatPipeline(host);
  const exchange = await pipeline.send(message);
  if (options.json) ctx.json(exchange);
  else for (const line of renderExchange(exchange)) ctx.line(line);
  return exchange.steps.some((s) => s.outcome === 'error') ? EXIT.FAILURE : EXIT.OK;
}
