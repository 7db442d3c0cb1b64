import { definePlugin, type PluginContext } from 'jovian/sdk';

interface Quote {
  readonly text: string;
  readonly author: string;
}
interface QuotesApi {
  forDay(day: number): Quote;
}
interface TranslatorApi {
  translate(text: string, language: string, options?: { apiKey?: string; formal?: boolean }): string;
}
/** config.yaml, with the defaults of config_schema filled in by the host. */
interface DigestConfig {
  readonly title: string;
  readonly language: string;
  readonly numbered: boolean;
  readonly quotes: number;
  readonly highlight_authors: readonly string[];
  readonly footer: { readonly enabled: boolean; readonly text: string };
  readonly translator: { readonly api_key: string; readonly formal: boolean };
}

/** Today's digest; `number` is the digest's number when it is built, null for a preview. */
async function compose(ctx: PluginContext, number: number | null): Promise<string> {
  const quotes = await ctx.plugins.get<QuotesApi>('quotes');
  if (!quotes) throw new Error('the quotes plugin is required');
  const config = (await ctx.config.get()) as unknown as DigestConfig;
  const now = new Date();
  const day = Math.floor((now.getTime() - new Date(now.getFullYear(), 0, 0).getTime()) / 86_400_000);
  const translator = await ctx.plugins.get<TranslatorApi>('translator');
  const lines: string[] = [];
  for (let i = 0; i < config.quotes; i++) {
    const quote = await quotes.forDay(day + i);
    const star = config.highlight_authors.includes(quote.author) ? '★ ' : '';
    let text = `${star}“${quote.text}” — ${quote.author}`;
    if (translator) {
      const { api_key, formal } = config.translator;
      text = await translator.translate(text, config.language, { apiKey: api_key, formal });
    }
    lines.push(text);
  }
  const title = config.title.replaceAll('{date}', now.toISOString().slice(0, 10));
  const numbered = config.numbered ? ` (#${number ?? '…'})` : '';
  return [
    `${title}${numbered}`,
    ...lines,
    ...(config.footer.enabled ? [config.footer.text] : []),
    ...(translator ? [] : [`(install a translator plugin to get it in \`${config.language}\`)`]),
  ].join('\n');
}

/** Builds today's digest: counts it, tells the UI (`daily_digest.built`). */
async function build(ctx: PluginContext): Promise<string> {
  const count = ((await ctx.state.get<number>('digests')) ?? 0) + 1;
  await ctx.state.set('digests', count);
  const text = await compose(ctx, count);
  await ctx.events.emit('daily_digest.built', { number: count, text });
  return text;
}

/**
 * Loaded when `jovian digest` runs (onCommand:digest) or its panel opens (onPanel:main). The panel
 * previews the digest with the current settings and builds one on request.
 */
export default definePlugin({
  async activate(ctx) {
    await ctx.contributions.registerCommand('digest', () => build(ctx));
    await ctx.contributions.registerPanel('main', async (request) => {
      const text = (request as { build?: boolean } | null)?.build
        ? await build(ctx)
        : await compose(ctx, null);
      return { text, built: (await ctx.state.get<number>('digests')) ?? 0 };
    });
    await ctx.config.onDidChange(async (change) => {
      await ctx.events.emit('daily_digest.settings_changed', { keys: change.keys });
    });
  },
  run: (_input, ctx) => build(ctx),
});
