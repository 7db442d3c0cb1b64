import { type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';

/** The pages of the UI, from the address bar: the server answers index.html for each of these paths. */
export type Route =
  | { readonly page: 'plugins' }
  | { readonly page: 'dashboard' }
  | { readonly page: 'console' }
  | { readonly page: 'jobs' }
  | { readonly page: 'plugin'; readonly id: string }
  | { readonly page: 'not-found' };

export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '/plugins' || pathname === '/plugins/') return { page: 'plugins' };
  if (pathname === '/dashboard' || pathname === '/dashboard/') return { page: 'dashboard' };
  if (pathname === '/console' || pathname === '/console/') return { page: 'console' };
  if (pathname === '/jobs' || pathname === '/jobs/') return { page: 'jobs' };
  const plugin = /^\/plugins\/([^/]+)\/?$/.exec(pathname);
  if (plugin) return { page: 'plugin', id: decodeURIComponent(plugin[1]!) };
  return { page: 'not-found' };
}

export function pluginPath(id: string): string {
  return `/plugins/${encodeURIComponent(id)}`;
}

const listeners = new Set<() => void>();

/**
 * Goes to `path` without reloading the page (the back button returns): to the top of the new page, or
 * to the element its `#fragment` names once the page has rendered it.
 */
export function navigate(path: string): void {
  if (path === location.pathname + location.hash) return;
  history.pushState(null, '', path);
  for (const listener of listeners) listener();
  const target = new URL(path, location.href).hash.slice(1);
  if (target === '') window.scrollTo(0, 0);
  else requestAnimationFrame(() => document.getElementById(decodeURIComponent(target))?.scrollIntoView());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The current path, re-rendering on `navigate()` and on the browser's back and forward buttons. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** A real link (it opens in a new tab with a middle click) that navigates in place on a plain click. */
export function Link({
  to,
  className,
  current,
  children,
}: {
  readonly to: string;
  readonly className?: string;
  /** The link to the page shown now (`aria-current="page"`). */
  readonly current?: boolean;
  readonly children: ReactNode;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} className={className} onClick={onClick} {...(current ? { 'aria-current': 'page' } : {})}>
      {children}
    </a>
  );
}
