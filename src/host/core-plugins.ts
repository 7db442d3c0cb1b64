import { deepFreeze, EMPTY_CONTRIBUTIONS, NO_PERMISSIONS } from '../manifest/index.js';
import type { HealthReport, PluginDefinition } from '../runtimes/index.js';
import type { Manifest } from '../types.js';
import { JOVIAN_VERSION } from './version.js';

/**
 * Core plugins are part of the host: defined in code, without plugin.yaml, started before every other
 * plugin, never disabled. Their ids are reserved.
 */
export interface CorePlugin {
  readonly manifest: Manifest;
  readonly definition: PluginDefinition;
}

/** What core plugins can see of the host. */
export interface CoreHostView {
  /** Plugins (system and tool) by state. */
  countByState(): Readonly<Record<string, number>>;
  /** Declared contributions (commands, routes, panels) and whether a handler is registered. */
  contributionCount(): { declared: number; bound: number };
  /** Checks every runnable plugin's config against its schema without loading plugin code. */
  validateAllConfigs(): Promise<{ plugin: string; valid: boolean; message?: string }[]>;
}

export const CORE_PLUGIN_IDS: ReadonlySet<string> = new Set(['bridge', 'settings']);

export function corePlugins(view: CoreHostView): CorePlugin[] {
  return [
    {
      manifest: coreManifest(
        'bridge',
        'Bridge',
        'Links the CLI, the API and plugins: registry, contributions, events and every plugin’s ctx.',
      ),
      definition: {
        health(): HealthReport {
          const { declared, bound } = view.contributionCount();
          return {
            status: 'ok',
            details: { plugins: view.countByState(), contributions: declared, handlers: bound },
          };
        },
        metrics: () => ({ ...view.countByState() }),
      },
    },
    {
      manifest: coreManifest(
        'settings',
        'Settings',
        'Applies and normalises configuration: global, project and per-plugin config with validation and migrations.',
      ),
      definition: (() => {
        let last: { plugin: string; valid: boolean; message?: string }[] = [];
        return {
          async activate() {
            last = await view.validateAllConfigs();
          },
          health(): HealthReport {
            const invalid = last.filter((r) => !r.valid);
            return invalid.length === 0
              ? { status: 'ok', details: { checked: last.length } }
              : {
                  status: 'degraded',
                  message: `invalid config: ${invalid.map((r) => r.plugin).join(', ')}`,
                  details: { invalid },
                };
          },
        } satisfies PluginDefinition;
      })(),
    },
  ];
}

function coreManifest(id: string, name: string, description: string): Manifest {
  return deepFreeze({
    id,
    name,
    description,
    type: 'system',
    version: JOVIAN_VERSION,
    engines: { jovian: '*' },
    main: '(built in)',
    runtime: 'inprocess',
    activation: ['onStartup'],
    activation_derived: false,
    contributes: EMPTY_CONTRIBUTIONS,
    permissions: NO_PERMISSIONS,
    config_schema: { version: 1 },
    i18n: [],
    dependencies: [],
    extends: [],
    limits: {},
    legacy: false,
  });
}
