import { useSyncExternalStore } from 'react';

export type ToastLevel = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  readonly key: number;
  /** The plugin that sent it (its id). */
  readonly plugin: string;
  readonly message: string;
  readonly level: ToastLevel;
}

/** How long a toast stays: errors stay longer, to be read. */
const SHOWN_MS: Readonly<Record<ToastLevel, number>> = {
  info: 6000,
  success: 6000,
  warning: 9000,
  error: 12000,
};
/** More than this at once and the oldest leave: a plugin in a loop must not cover the page. */
const MAX_SHOWN = 5;

let toasts: readonly Toast[] = [];
let counter = 0;
const listeners = new Set<() => void>();

function set(next: readonly Toast[]): void {
  toasts = next;
  for (const listener of [...listeners]) listener();
}

/** Shows a toast, which leaves by itself after a while. */
export function showToast(plugin: string, message: string, level: ToastLevel = 'info'): void {
  const toast: Toast = { key: ++counter, plugin, message: String(message), level };
  set([...toasts, toast].slice(-MAX_SHOWN));
  setTimeout(() => dismissToast(toast.key), SHOWN_MS[level]);
}

export function dismissToast(key: number): void {
  if (toasts.some((toast) => toast.key === key)) set(toasts.filter((toast) => toast.key !== key));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
