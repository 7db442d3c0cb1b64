import { definePlugin } from 'jovian/sdk';

const counts: Record<string, number> = {};

/** Starts with the host (system plugin) and watches every plugin's state changes. */
export default definePlugin({
  async activate(ctx) {
    const previous = (await ctx.state.get<Record<string, number>>('lifetime')) ?? {};
    await ctx.events.on('plugin.state', async (event) => {
      const to = (event.payload as { to: string }).to;
      counts[to] = (counts[to] ?? 0) + 1;
      previous[to] = (previous[to] ?? 0) + 1;
      await ctx.state.set('lifetime', previous);
    });
    await ctx.logger.info('watching plugin state changes');
  },
  health: () => ({ status: 'ok', details: { transitions: { ...counts } } }),
  metrics: () => ({ ...counts }),
});
