// A plugin in the format used before manifests: an exported `plugin` with `meta` and start/stop/run.
// Jovian wraps it with a generated manifest (legacy: true) and safe defaults.
export const plugin = {
  meta: {
    name: 'Echo',
    description: 'Repeats a text (a plugin in the pre-manifest format).',
    permissions: [],
    inputs: {
      schema: {
        text: 'string',
        times: { type: 'integer', minimum: 1, maximum: 5, default: 1 },
      },
    },
  },
  started: false,
  start() {
    this.started = true;
  },
  stop() {
    this.started = false;
  },
  run({ text, times = 1 }) {
    return { echo: Array.from({ length: times }, () => text).join(' '), started: this.started };
  },
};
