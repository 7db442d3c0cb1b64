import { definePlugin, type PluginContext } from 'jovian/sdk';

interface Quote {
  readonly text: string;
  readonly author: string;
}
interface QuotesApi {
  forDay(day: number): Quote;
}
interface TranslatorApi {
  translate(text: string, language: string): string;
}
interface DigestConfig {
  readonly language: string;
  readonly numbered: boolean;
}

async function digest(ctx: PluginContext): Promise<string> {
  const quotes = await ctx.plugins.get<QuotesApi>('quotes');
  if (!quotes) throw new Error('the quotes plugin is required');
  const now = new Date();
  const day = Math.floor((now.getTime() - new Date(now.getFullYear(), 0, 0).getTime()) / 86_400_000);
  const quote = await quotes.forDay(day);
  const config = (await ctx.config.get()) as unknown as DigestConfig;
  let text = `“${quote.text}” — ${quote.author}`;
  const translator = await ctx.plugins.get<TranslatorApi>('translator');
  if (translator) text = await translator.translate(text, config.language);
  const count = ((await ctx.state.get<number>('digests')) ?? 0) + 1;
  await ctx.state.set('digests', count);
  const title = `Digest for ${now.toISOString().slice(0, 10)}${config.numbered ? ` (#${count})` : ''}`;
  return `${title}\n${text}${translator ? '' : `\n(install a translator plugin to get it in \`${config.language}\`)`}`;
}

/** Loaded only when `jovian digest` runs (activation: onCommand:digest). */
export default definePlugin({
  async activate(ctx) {
    await ctx.contributions.registerCommand('digest', () => digest(ctx));
  },
  run: (_input, ctx) => digest(ctx),
});
