import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'dark' | 'light';
const STORAGE_KEY = 'jovian.theme';
const listeners = new Set<(theme: Theme) => void>();

/** Dark unless this browser chose light before. */
export function savedTheme(): Theme {
  return localStorage.getItem(STORAGE_KEY) === 'light' ? 'light' : 'dark';
}

/** The theme the page shows now (`html[data-theme]`). */
export function currentTheme(): Theme {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

/** Shows `theme` and tells whoever listens (the header, plugins' panels through the bridge). */
export function applyTheme(theme: Theme): void {
  const changed = theme !== currentTheme();
  document.documentElement.dataset['theme'] = theme;
  if (changed) for (const listener of [...listeners]) listener(theme);
}

/** Calls `listener` with the new theme each time it changes; returns the unsubscribe. */
export function onThemeChange(listener: (theme: Theme) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current theme and a function that switches to the other one (and remembers it). */
export function useTheme(): readonly [Theme, () => void] {
  const theme = useSyncExternalStore(onThemeChange, currentTheme);
  const toggle = useCallback(() => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    localStorage.setItem(STORAGE_KEY, next);
    applyTheme(next);
  }, []);
  return [theme, toggle] as const;
}
