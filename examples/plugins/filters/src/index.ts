import { type ChatMessage, definePlugin } from 'jovian/sdk';

interface FiltersConfig {
  readonly lowercase: boolean;
  readonly collapse_spaces: boolean;
  readonly response_suffix: string;
}

/** Message and response filters (the seed's filter plugin, in TypeScript, configurable). */
export default definePlugin({
  async activate(ctx) {
    let config = (await ctx.config.get()) as unknown as FiltersConfig;
    await ctx.config.onDidChange((change) => {
      config = change.config as unknown as FiltersConfig;
    });
    await ctx.hooks.tap('filter_message', (message: ChatMessage) => {
      let content = message.content.trim();
      if (config.lowercase) content = content.toLowerCase();
      if (config.collapse_spaces) content = content.replace(/\s+/g, ' ');
      return { ...message, content };
    });
    await ctx.hooks.tap('filter_response', (response: ChatMessage) => ({
      ...response,
      content: response.content + config.response_suffix,
    }));
  },
});
