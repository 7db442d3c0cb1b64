import type { HookMap } from '../hooks/index.js';
import { type HostOptions, normaliseHostOptions } from './host-options.js';
import { PluginHost } from './plugin-host.js';

/**
 * Creates a plugin host. Nothing is read until `load()` or `start()`.
 * @example
 * const hooks = { filter_message: new AsyncSeriesWaterfallHook<ChatMessage>({ name: 'filter_message' }) };
 * const host = createHost({ hooks, pluginDirs: ['./plugins'] });
 * await host.start();
 * const message = await host.hooks.filter_message.call({ role: 'user', content: 'hi' });
 * await host.stop();
 */
export function createHost<H extends HookMap = HookMap>(options: HostOptions<H> = {}): PluginHost<H> {
  return new PluginHost(normaliseHostOptions(options));
}
