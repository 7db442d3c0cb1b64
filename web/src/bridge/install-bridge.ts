import type { JovianBridge, JovianBridgeRoot } from '../../../src/server/api-types';
import { createBridge } from './create-bridge';

declare global {
  interface Window {
    /** The UI's bridge for plugins' panels and widgets (docs/plugin-authoring.md, "Panels and widgets"). */
    jovianBridge: JovianBridgeRoot;
  }
}

const bridges = new Map<string, JovianBridge>();

/** The bridge of one plugin: the same object each time, the one its panels and widgets receive. */
export function bridgeFor(pluginId: string): JovianBridge {
  let bridge = bridges.get(pluginId);
  if (bridge === undefined) {
    bridge = createBridge(pluginId);
    bridges.set(pluginId, bridge);
  }
  return bridge;
}

/** Sets `window.jovianBridge`, for plugin code that was not handed a bridge (a script of its own). */
export function installBridge(): void {
  const root: JovianBridgeRoot = { version: 1, forPlugin: bridgeFor };
  Object.defineProperty(window, 'jovianBridge', { value: Object.freeze(root), configurable: false });
}
