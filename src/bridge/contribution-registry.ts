import { diagnostic, JovianError } from '../errors.js';
import type { ContributionKind } from '../runtimes/index.js';
import type { Diagnostic, Manifest } from '../types.js';

export interface DeclaredContribution {
  readonly kind: ContributionKind;
  /** Command name, `METHOD /path` for routes, panel id. */
  readonly key: string;
  readonly pluginId: string;
  readonly description: string;
  /** True once the active plugin registered its handler. */
  readonly bound: boolean;
}

export interface BoundHandler {
  readonly pluginId: string;
  readonly handlerId: number;
}

export interface RouteMatch extends BoundHandler {
  readonly key: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * The bridge's table of contributions: what each enabled plugin declares (known without running it,
 * so commands appear in `--help` and routes can activate their plugin) and which handler the active
 * plugin registered for each. Commands share one namespace across plugins (and with the host's own
 * commands); routes and panels are namespaced by plugin (`/api/x/<id>/…`).
 */
export class ContributionRegistry {
  readonly #declared = new Map<
    string,
    { pluginId: string; description: string; kind: ContributionKind; key: string }
  >();
  readonly #bound = new Map<string, BoundHandler>();
  readonly #reservedCommands: ReadonlySet<string>;

  constructor(options: { reservedCommands?: Iterable<string> } = {}) {
    this.#reservedCommands = new Set(options.reservedCommands ?? []);
  }

  /**
   * Records a plugin's declared contributions. A command already declared by another plugin, or named
   * like a built-in command, is not recorded and is returned as a JOVIAN_E_CONTRIBUTION_CONFLICT error.
   */
  declare(manifest: Manifest): Diagnostic[] {
    const problems: Diagnostic[] = [];
    for (const command of manifest.contributes.commands) {
      const slot = slotOf('command', manifest.id, command.name);
      const other = this.#declared.get(slot);
      if (
        this.#reservedCommands.has(command.name.split(':')[0]!) ||
        (other && other.pluginId !== manifest.id)
      ) {
        problems.push(
          diagnostic(
            'JOVIAN_E_CONTRIBUTION_CONFLICT',
            other
              ? `command \`${command.name}\` of plugin \`${manifest.id}\` is already contributed by \`${other.pluginId}\``
              : `command \`${command.name}\` of plugin \`${manifest.id}\` has the name of a built-in command`,
            { plugin: manifest.id },
          ),
        );
        continue;
      }
      this.#declared.set(slot, {
        pluginId: manifest.id,
        description: command.description,
        kind: 'command',
        key: command.name,
      });
    }
    for (const route of manifest.contributes.routes) {
      const key = `${route.method} ${route.path}`;
      this.#declared.set(slotOf('route', manifest.id, key), {
        pluginId: manifest.id,
        description: route.description,
        kind: 'route',
        key,
      });
    }
    for (const panel of manifest.contributes.ui.panels) {
      this.#declared.set(slotOf('panel', manifest.id, panel.id), {
        pluginId: manifest.id,
        description: panel.title_key ?? '',
        kind: 'panel',
        key: panel.id,
      });
    }
    return problems;
  }

  /** Forgets everything `pluginId` declared and registered (disable, uninstall). */
  undeclare(pluginId: string): void {
    for (const [slot, entry] of this.#declared) if (entry.pluginId === pluginId) this.#declared.delete(slot);
    this.unbindAll(pluginId);
  }

  isDeclared(kind: ContributionKind, pluginId: string, key: string): boolean {
    return this.#declared.get(slotOf(kind, pluginId, key))?.pluginId === pluginId;
  }

  /** @throws JOVIAN_E_CONTRIBUTION_UNDECLARED when the manifest of `pluginId` does not declare it. */
  bind(kind: ContributionKind, pluginId: string, key: string, handlerId: number): void {
    if (!this.isDeclared(kind, pluginId, key)) {
      throw new JovianError(
        'JOVIAN_E_CONTRIBUTION_UNDECLARED',
        `plugin \`${pluginId}\` registered ${kind} \`${key}\`, which its manifest does not declare`,
        {
          hint: `declare it under contributes.${kind === 'panel' ? 'ui.panels' : `${kind}s`} in plugin.yaml`,
        },
      );
    }
    this.#bound.set(slotOf(kind, pluginId, key), { pluginId, handlerId });
  }

  unbind(kind: ContributionKind, pluginId: string, key: string, handlerId: number): void {
    const slot = slotOf(kind, pluginId, key);
    if (this.#bound.get(slot)?.handlerId === handlerId) this.#bound.delete(slot);
  }

  /** Drops the handlers of `pluginId` but keeps its declarations (deactivation). */
  unbindAll(pluginId: string): void {
    for (const [slot, bound] of this.#bound) if (bound.pluginId === pluginId) this.#bound.delete(slot);
  }

  /** The plugin declaring command `name`. */
  commandOwner(name: string): string | undefined {
    return this.#declared.get(slotOf('command', '', name))?.pluginId;
  }

  handler(kind: ContributionKind, pluginId: string, key: string): BoundHandler | undefined {
    return this.#bound.get(slotOf(kind, pluginId, key));
  }

  /** The declared route of `pluginId` matching `method` and `path` (`:name` segments capture). */
  matchRoute(
    pluginId: string,
    method: string,
    path: string,
  ): { key: string; params: Record<string, string> } | undefined {
    for (const entry of this.#declared.values()) {
      if (entry.kind !== 'route' || entry.pluginId !== pluginId) continue;
      const [routeMethod, routePath] = entry.key.split(' ') as [string, string];
      if (routeMethod !== method.toUpperCase()) continue;
      const params = matchPath(routePath, path);
      if (params) return { key: entry.key, params };
    }
    return undefined;
  }

  list(kind?: ContributionKind): DeclaredContribution[] {
    const out: DeclaredContribution[] = [];
    for (const [slot, entry] of this.#declared) {
      if (kind !== undefined && entry.kind !== kind) continue;
      out.push({
        kind: entry.kind,
        key: entry.key,
        pluginId: entry.pluginId,
        description: entry.description,
        bound: this.#bound.has(slot),
      });
    }
    return out.sort((a, b) => (a.kind + a.key < b.kind + b.key ? -1 : 1));
  }
}

function slotOf(kind: ContributionKind, pluginId: string, key: string): string {
  return kind === 'command' ? `command\u0000${key}` : `${kind}\u0000${pluginId}\u0000${key}`;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(got[i]!);
    else if (segment !== got[i]) return undefined;
  }
  return params;
}
