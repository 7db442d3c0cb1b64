import { register } from 'node:module';

/** The query that marks a module as one version of a reloaded plugin (`index.mjs?jovian-reload=reload-3`). */
export const RELOAD_QUERY = 'jovian-reload';

/**
 * A module resolve hook: a relative import (`./lib.mjs`, `../shared/x.js`) made by a module that
 * carries the reload query gets the same query, so a reloaded in-process plugin imports fresh copies
 * of its own modules, not only of its entry file. Bare imports (`node:fs`, packages) resolve as usual
 * and stay shared. Written as a data: URL so it needs no file of its own next to the built code.
 */
const HOOKS = `
const QUERY = ${JSON.stringify(RELOAD_QUERY)};
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const parent = context.parentURL;
  if (!parent || !(specifier.startsWith('./') || specifier.startsWith('../'))) return resolved;
  if (!parent.startsWith('file:') || !resolved.url.startsWith('file:')) return resolved;
  const version = new URL(parent).searchParams.get(QUERY);
  if (version === null) return resolved;
  const url = new URL(resolved.url);
  url.searchParams.set(QUERY, version);
  return { ...resolved, url: url.href };
}
`;

let registered = false;

/**
 * Installs the hook once, the first time a plugin is reloaded in this process (developer mode only:
 * a host that never reloads never pays for a resolve hook).
 */
function followReloadInImports(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
}

/** The entry module's URL for one version of the plugin (`cacheBust`), or as it is when undefined. */
export function versionedUrl(fileUrl: string, cacheBust: string | undefined): string {
  if (cacheBust === undefined) return fileUrl;
  followReloadInImports();
  return `${fileUrl}?${RELOAD_QUERY}=${encodeURIComponent(cacheBust)}`;
}
