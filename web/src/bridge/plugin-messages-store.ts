import { useSyncExternalStore } from 'react';
import type { PluginMessages } from './plugin-text';

/**
 * The plugins' messages of the UI's current language, kept outside React so the bridge (called from
 * plugins' code) reads the same ones the pages show. PluginMessagesLoader fills it.
 */
interface PluginMessagesState {
  readonly locale: string;
  readonly messages: PluginMessages;
  /** False until the first answer (or failure): panels wait for it, so their first texts are right. */
  readonly loaded: boolean;
}

let state: PluginMessagesState = { locale: 'en', messages: {}, loaded: false };
const listeners = new Set<() => void>();

export function pluginMessagesNow(): PluginMessagesState {
  return state;
}

export function setPluginMessages(next: Omit<PluginMessagesState, 'loaded'>): void {
  state = { ...next, loaded: true };
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

/** Whether the plugin messages were loaded once, and their language: what a mounted panel depends on. */
export function usePluginMessagesStatus(): { readonly loaded: boolean; readonly locale: string } {
  const { loaded, locale } = useSyncExternalStore(onPluginMessages, () => state);
  return { loaded, locale };
}
