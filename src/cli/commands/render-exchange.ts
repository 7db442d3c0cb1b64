import type { ChatExchange } from '../../host/index.js';
import { style } from '../output/style.js';

/** An exchange as the terminal shows it: the message, each hook's taps and what they did, the answer. */
export function renderExchange(exchange: ChatExchange): string[] {
  const lines = [`${style.bold('you')}        ${JSON.stringify(exchange.message.content)}`];
  const width = Math.max(12, ...exchange.steps.map((s) => s.plugin.length));
  let hook = '';
  for (const step of exchange.steps) {
    if (step.hook !== hook) {
      hook = step.hook;
      lines.push(style.dim(`  ${hook}`));
    }
    const what =
      step.outcome === 'error'
        ? style.red(`failed: ${step.error?.message}`)
        : step.result === undefined
          ? style.dim('(no change)')
          : JSON.stringify(summarise(step.result));
    lines.push(`    ${step.plugin.padEnd(width)} ${what} ${style.dim(`${step.durationMs} ms`)}`);
    for (const log of exchange.logs.filter((l) => l.plugin === step.plugin)) {
      if (step === exchange.steps.find((s) => s.plugin === step.plugin))
        lines.push(style.dim(`      log ${log.level}: ${log.message}`));
    }
  }
  if (exchange.command)
    lines.push(style.dim(`  /${exchange.command.name} answered by ${exchange.answeredBy ?? 'nobody'}`));
  lines.push(`${style.bold('assistant')}  ${JSON.stringify(exchange.response.content)}`);
  return lines;
}

function summarise(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'content' in value)
    return { content: (value as { content: unknown }).content };
  return value;
}
