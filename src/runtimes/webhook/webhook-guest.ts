import { isJovianError, JovianError } from '../../errors.js';
import type { Manifest } from '../../types.js';
import type { ContributionKind, GuestCalls, Handlers, HostCalls } from '../rpc/channel.js';
import type { HealthReport } from '../rpc/plugin-api.js';
import { badResponse } from './webhook-reply.js';

/** What the guest side needs: the manifest (what to register) and a way to reach the service. */
export interface WebhookGuestOptions {
  readonly manifest: Manifest;
  readonly host: Handlers<HostCalls>;
  /** POSTs one call to the service; see WebhookClient. */
  readonly send: (method: string, params: readonly unknown[]) => Promise<unknown>;
}

/**
 * The plugin side of a webhook plugin, played by the host: the service cannot call back into `ctx`,
 * so `activate` registers what the manifest declares — a tap on each hook of contributes.hooks, a
 * subscription to each pattern of contributes.events.subscribe, a handler for each command, route and
 * panel — and each call that reaches one is POSTed under a method the service can route on:
 * `run`, `hook:<hook>`, `event:<pattern>`, `command:<name>`, `route:<METHOD> <path>`, `panel:<id>`,
 * `api:<method>`, `api.describe`, `health`. Deactivation, config changes, metrics and migrations are
 * answered here and never sent. What activate registered is released by the host when the plugin stops.
 */
export function createWebhookGuest(options: WebhookGuestOptions): Handlers<GuestCalls> {
  const { manifest, host, send } = options;
  const label = `plugin \`${manifest.id}\``;
  let nextId = 1;
  const taps = new Map<number, string>();
  const subscriptions = new Map<number, string>();
  const contributions = new Map<number, string>();

  const register = async (kind: ContributionKind, key: string) => {
    const id = nextId++;
    contributions.set(id, `${kind}:${key}`);
    await host['contributions.register'](kind, key, id);
  };

  return {
    activate: async () => {
      for (const tap of manifest.contributes.hooks) {
        const id = nextId++;
        taps.set(id, tap.name);
        try {
          await host['hooks.tap'](tap.name, id);
        } catch (error) {
          taps.delete(id);
          // Hooks this host does not have were reported when the manifest was loaded; the tap is ignored.
          if (!isJovianError(error) || error.code !== 'JOVIAN_E_HOOK_UNKNOWN') throw error;
        }
      }
      for (const pattern of manifest.contributes.events.subscribe) {
        const id = nextId++;
        subscriptions.set(id, pattern);
        await host['events.subscribe'](pattern, id);
      }
      for (const command of manifest.contributes.commands) await register('command', command.name);
      for (const route of manifest.contributes.routes)
        await register('route', `${route.method} ${route.path}`);
      for (const panel of manifest.contributes.ui.panels) await register('panel', panel.id);
    },
    deactivate: () => undefined,
    health: async () => checkHealth(await send('health', []), label),
    metrics: () => null,
    run: (input) => send('run', [input]),
    'api.describe': async () => {
      const methods = await send('api.describe', []);
      if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string'))
        throw badResponse(`${label}: \`api.describe\``, 'must answer a list of method names');
      return methods as string[];
    },
    'api.call': (method, args) => send(`api:${method}`, args),
    'tap.invoke': (tapId, args) => {
      const hook = taps.get(tapId);
      return hook === undefined ? undefined : send(`hook:${hook}`, args);
    },
    'event.deliver': async (subscriptionId, event) => {
      const pattern = subscriptions.get(subscriptionId);
      if (pattern !== undefined) await send(`event:${pattern}`, [event]);
    },
    'config.changed': () => undefined,
    'job.start': () => {
      throw new JovianError('JOVIAN_E_RUNTIME_UNAVAILABLE', `${label}: webhook plugins cannot run jobs`, {
        hint: 'run jobs in a JavaScript plugin (inprocess, worker or process runtime)',
      });
    },
    'job.cancel': () => undefined,
    'contribution.invoke': (handlerId, input) => {
      const method = contributions.get(handlerId);
      if (method === undefined)
        throw new JovianError(
          'JOVIAN_E_CONTRIBUTION_NOT_REGISTERED',
          `handler ${handlerId} of ${label} was removed`,
        );
      return send(method, [input]);
    },
    'migrations.list': () => [],
    'migrations.run': (version) => {
      throw new JovianError(
        'JOVIAN_E_CONFIG_MIGRATION_MISSING',
        `${label} is a webhook plugin and has no migration to version ${version}`,
        { hint: 'Migrate the config file by hand; webhook plugins cannot define migrations.' },
      );
    },
  };
}

const HEALTH_STATUSES: ReadonlySet<unknown> = new Set(['ok', 'degraded', 'failing']);

function checkHealth(answer: unknown, label: string): HealthReport | null {
  if (answer === null || answer === undefined) return null;
  if (typeof answer !== 'object' || !HEALTH_STATUSES.has((answer as { status?: unknown }).status))
    throw badResponse(
      `${label}: \`health\``,
      'must answer null or an object whose `status` is "ok", "degraded" or "failing"',
    );
  return answer as HealthReport;
}
