/** The plugins of the conformance suite: the same code runs under every runtime. */

export const PROBE = `
export default {
  async activate(ctx) {
    globalThis.__seen = [];
    await ctx.hooks.tap('series', async (n) => { await ctx.state.set('series', n); });
    await ctx.hooks.tap('bail', async (question) => (question === 'who' ? { answer: ctx.id } : undefined));
    await ctx.hooks.tap('waterfall', async (text) => text + '>' + ctx.id);
    await ctx.hooks.tap('parallel', async () => { await new Promise((r) => setTimeout(r, 5)); });
    await ctx.events.on('probe.in', async (event) => { await ctx.events.emit('probe.out', { echo: event.payload }); });
    await ctx.config.onDidChange(async (change) => { await ctx.state.set('changed', change.keys); });
    await ctx.contributions.registerCommand('probe', (invocation) => ({ args: invocation.args, options: invocation.options }));
  },
  async deactivate() {},
  api: {
    add: (a, b) => a + b,
    describe: (value) => ({ type: Object.prototype.toString.call(value), size: value instanceof Map ? value.size : null }),
  },
  async run(input, ctx) {
    switch (input.op) {
      case 'config': {
        const before = await ctx.config.get();
        await ctx.config.set('level', input.level);
        return { before, after: await ctx.config.get('level') };
      }
      case 'level':
        return ctx.config.get('level');
      case 'state': {
        await ctx.state.set('bag', { list: [1, 2], when: 'now' });
        return { bag: await ctx.state.get('bag'), keys: (await ctx.state.keys()).sort() };
      }
      case 'recall':
        return ctx.state.get('series');
      case 'call-peer': {
        const peer = await ctx.plugins.get('peer');
        return { sum: await peer.add(20, 22), described: await peer.describe(new Map([['a', 1]])) };
      }
      case 'throw-coded': {
        const error = new Error('the city is unknown');
        error.code = 'WEATHER_E_CITY';
        error.hint = 'check the spelling';
        throw error;
      }
      case 'throw-plain':
        throw new TypeError('plain failure');
      case 'denied':
        try { await ctx.fs.readText('/etc/hostname'); } catch (e) { return { code: e.code, hint: e.hint }; }
        return { code: null };
      case 'wait':
        return new Promise((resolve) => setTimeout(() => resolve('late'), input.ms));
      case 'not-cloneable':
        return { callback: () => 'functions cannot cross' };
      case 'identity':
        return { id: ctx.id, version: ctx.version, data: ctx.paths.data };
      default:
        return { echo: input };
    }
  },
  health: () => ({ status: 'ok', details: { fine: true } }),
  metrics: () => ({ calls: 1 }),
};
`;

export const PEER = `
export default {
  api: {
    add: (a, b) => a + b,
    describe: (value) => ({ type: Object.prototype.toString.call(value), size: value instanceof Map ? value.size : null }),
  },
};
`;

/** Answers after `input.ms`: past its deadline when asked to. */
export const SLOW =
  'export default { run: (input) => new Promise((resolve) => setTimeout(() => resolve("late"), input.ms)) };';

/** Taps a synchronous hook, which only an in-process plugin can. */
export const SYNCER = "export default { async activate(ctx) { await ctx.hooks.tap('sync', () => {}); } };";

/** Fails as it loads. */
export const HOSTILE_AT_LOAD = "throw new Error('thrown at load');\n";

/** Hostile behaviours, each selected by run()'s input. */
export const HOSTILE = `
export default {
  async run(input, ctx) {
    switch (input.kind) {
      case 'flood': {
        let dropped = 0;
        let code;
        for (let i = 0; i < 3000; i++) {
          try { await ctx.events.emit('hostile.flood', i); } catch (error) { dropped++; code = error.code; }
        }
        return { dropped, code };
      }
      case 'fds': {
        const fs = await import('node:fs');
        const fds = [];
        try {
          for (;;) fds.push(fs.openSync(new URL(import.meta.url), 'r'));
        } catch (error) {
          return { opened: fds.length, code: error.code };
        }
      }
      case 'loop': for (;;) {}
      case 'loop-later': setTimeout(() => { for (;;) {} }, 10); return 'answered, then stuck';
      case 'memory': { const hog = []; for (;;) hog.push(new Array(1e6).fill(Math.random())); }
      case 'exit': process.exit(3);
      case 'reject': Promise.reject(new Error('nobody catches me')); return new Promise(() => {});
      case 'throw-later': setTimeout(() => { throw new Error('thrown from a timer'); }, 1); return new Promise(() => {});
      case 'fs-direct': return import('node:fs').then((fs) => fs.readFileSync('/etc/hostname', 'utf8'));
      case 'spawn-direct': return import('node:child_process').then((cp) => cp.execSync('echo escaped').toString());
      default: return 'calm';
    }
  },
};
`;

/** Jobs: `count` reports `to` steps and returns, `forever` waits for its signal and rejects with its reason. */
export const JOBBER = `
export default { async activate(ctx) {
  await ctx.jobs.register('count', async (params, job) => {
    for (let i = 1; i <= params.to; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await job.updateProgress((i * 100) / params.to, 'step ' + i);
    }
    return { counted: params.to, current: (await ctx.jobs.current())?.id === job.id };
  });
  await ctx.jobs.register('forever', (params, job) => new Promise((resolve, reject) => {
    job.updateProgress(1, 'waiting');
    job.signal.addEventListener('abort', () => reject(job.signal.reason));
  }));
} };`;
