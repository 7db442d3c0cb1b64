import { type ChatMessage, definePlugin } from 'jovian/sdk';

/** Greets users (the seed's welcome plugin, in TypeScript). */
export default definePlugin({
  async activate(ctx) {
    await ctx.hooks.tap('on_chat', async (message: ChatMessage) => {
      if (message.role === 'user') {
        await ctx.logger.info(`👋 User message: ${message.content}`);
        return { greeting_sent: true };
      }
      return { ok: true };
    });
  },
});
