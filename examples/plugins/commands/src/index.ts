import { type ChatCommand, definePlugin } from 'jovian/sdk';

/** Custom chat commands (the seed's command plugin, in TypeScript). */
export default definePlugin({
  async activate(ctx) {
    await ctx.hooks.tap('on_command', (command: ChatCommand) => {
      if (command.name === 'help') return { response: 'Commands: /help, /status, /about' };
      if (command.name === 'status') return { response: 'Jovian is running! ✅' };
      if (command.name === 'about')
        return { response: `Jovian chat commands, plugin ${ctx.id} ${ctx.version}` };
      return undefined;
    });
  },
});
