import { useCallback, useState } from 'react';

export type Theme = 'dark' | 'light';
const STORAGE_KEY = 'jovian.theme';

/** Dark unless this browser chose light before. */
export function savedTheme(): Theme {
  return localStorage.getItem(STORAGE_KEY) === 'light' ? 'light' : 'dark';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
}

/** The current theme and a function that switches to the other one (and remembers it). */
export function useTheme(): readonly [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(savedTheme);
  const toggle = useCallback(() => {
    const next = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(STORAGE_KEY, next);
    applyTheme(next);
    setTheme(next);
  }, [theme]);
  return [theme, toggle] as const;
}
