import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChatPipeline, createChatHooks, definePlugin } from '../../../src/index.js';
import { createTestHost } from '../../../src/sdk/testing/index.js';
import { createFixture } from '../../helpers/plugin-fixtures.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'examples', 'plugins');

describe('definePlugin', () => {
  it('should return the definition, branded, with its members untouched', () => {
    const activate = () => undefined;
    const plugin = definePlugin({ activate });
    expect(plugin.activate).toBe(activate);
    expect((plugin as unknown as Record<symbol, unknown>)[Symbol.for('jovian.plugin')]).toBe(true);
    expect(Object.keys(plugin)).toEqual(['activate']);
  });
});

describe('createTestHost', () => {
  it('should run a plugin folder in a real, throw-away host with strict cloning', async () => {
    const fixture = await createFixture();
    const folder = await fixture.add('shouty', {
      manifest: { contributes: { hooks: ['filter_response'] } },
      code: "export default { async activate(ctx) { await ctx.hooks.tap('filter_response', (m) => ({ ...m, content: m.content.toUpperCase() })); } };",
    });
    const { host, dispose, dataDir } = await createTestHost({ plugins: [folder], hooks: createChatHooks() });
    try {
      const exchange = await new ChatPipeline(host).send('hello');
      expect(exchange.response.content).toBe('YOU SAID: HELLO');
      expect(host.config.strictClone).toBe(true);
      expect(dataDir).toContain('jovian-test-');
    } finally {
      await dispose();
      await fixture.cleanup();
    }
  });

  it('should keep concurrent exchanges’ traces apart', async () => {
    const { host, dispose } = await createTestHost({
      plugins: [join(examples, 'welcome.lua'), join(examples, 'filters.lua')],
      hooks: createChatHooks(),
    });
    try {
      const pipeline = new ChatPipeline(host);
      const [first, second] = await Promise.all([pipeline.send('One'), pipeline.send('Two')]);
      expect(first.logs.map((l) => l.message)).toEqual(['👋 User message: one']);
      expect(second.logs.map((l) => l.message)).toEqual(['👋 User message: two']);
      expect(first.steps.filter((s) => s.hook === 'on_chat')).toHaveLength(1);
    } finally {
      await dispose();
    }
  });
});
