import { useSyncExternalStore } from 'react';
import type { PluginMessages } from './plugin-text';

/**
 * The plugins' messages of the UI's current language, kept outside React so the bridge (called from
 * plugins' code) reads the same ones the pages show. PluginMessagesLoader fills it.
 */
interface PluginMessagesState {
  readonly locale: string;
  readonly messages: PluginMessages;
}

let state: PluginMessagesState = { locale: 'en', messages: {} };
const listeners = new Set<() => void>();

export function pluginMessagesNow(): PluginMessagesState {
  return state;
}

export function setPluginMessages(next: PluginMessagesState): void {
  state = next;
  for (const listener of [...listeners]) listener();
}

export function onPluginMessages(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current plugin messages, re-rendering when they are loaded again. */
export function usePluginMessages(): PluginMessages {
  return useSyncExternalStore(onPluginMessages, () => state).messages;
}
