// `.js` paths: test/unit/web imports this file under Node's rules.
import type { JovianBridge } from '../../../src/server/api-types.js';

/** What a panel or widget module exports (docs/plugin-authoring.md, "Panels and widgets"). */
export interface ContributionModule {
  mount(element: HTMLElement, bridge: JovianBridge): void | Promise<void>;
  unmount?(element: HTMLElement): void | Promise<void>;
}

/** The module's URL; after a reload of its plugin, a new query so the browser imports the new code. */
export function moduleUrl(module: string, version: number): string {
  if (version === 0) return module;
  return `${module}${module.includes('?') ? '&' : '?'}v=${version}`;
}

/**
 * Imports a panel's or widget's module (same origin: the page's CSP allows it, and only it).
 * @throws Error when it cannot be imported or exports no `mount` function.
 */
export async function importContribution(url: string): Promise<ContributionModule> {
  const loaded = (await import(/* @vite-ignore */ url)) as Partial<ContributionModule> & {
    default?: Partial<ContributionModule>;
  };
  const module = typeof loaded.mount === 'function' ? loaded : loaded.default;
  if (typeof module?.mount !== 'function')
    throw new Error(`${url} exports no \`mount(element, bridge)\` function`);
  return module as ContributionModule;
}
