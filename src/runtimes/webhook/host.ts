import { JovianError } from '../../errors.js';
import { createLocalPort } from '../rpc/local-port.js';
import type { PluginInstance, Runtime, RuntimeLaunch } from '../runtime.js';
import { WebhookClient } from './webhook-client.js';
import { createWebhookGuest } from './webhook-guest.js';
import { loadWebhookSecret, webhookSecretFile } from './webhook-secret.js';

/** Used when neither webhook.timeout_ms nor a call deadline is given. */
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_KB = 1024;

export interface WebhookRuntimeOptions {
  /** The host's data folder: secrets are kept in `<dataDir>/secrets/<id>.key`. */
  readonly dataDir: string;
}

/**
 * Runs plugins that have no code on this machine: each call is a signed POST to the URL in the
 * manifest's `webhook` section (see WebhookClient for the request, webhookSecretFile for the secret,
 * createWebhookGuest for what is sent). The service cannot reach `ctx`: no config, state, files,
 * network or commands. Each request has a deadline (webhook.timeout_ms, else the call deadline) and a
 * response size cap (webhook.max_response_kb, default 1024); nothing runs here that could hang.
 */
export function createWebhookRuntime(options: WebhookRuntimeOptions): Runtime {
  return {
    kind: 'webhook',
    async load(launch: RuntimeLaunch): Promise<PluginInstance> {
      const { manifest } = launch;
      const spec = manifest.webhook;
      if (!spec) {
        throw new JovianError(
          'JOVIAN_E_MANIFEST_MISSING_FIELD',
          `plugin \`${manifest.id}\` has runtime \`webhook\` but no webhook.url`,
          { hint: 'add `webhook: { url: https://… }` to plugin.yaml' },
        );
      }
      const secret = await loadWebhookSecret(webhookSecretFile(options.dataDir, manifest.id), (message) =>
        launch.output?.('warn', message),
      );
      const client = new WebhookClient({
        pluginId: manifest.id,
        url: new URL(spec.url),
        secret,
        timeoutMs: spec.timeout_ms ?? launch.callDeadlineMs ?? DEFAULT_TIMEOUT_MS,
        maxResponseBytes: (spec.max_response_kb ?? DEFAULT_MAX_RESPONSE_KB) * 1024,
        log: (level, message) => void Promise.resolve(launch.host.log(level, message)).catch(() => undefined),
      });
      const guest = createWebhookGuest({
        manifest,
        host: launch.host,
        send: (method, params) => client.call(method, params),
      });
      return {
        guest: createLocalPort(guest, { clone: false, label: `plugin \`${manifest.id}\`` }),
        tapFunction: () => undefined,
        onExit() {
          // Nothing runs here that could exit: a failing service fails its calls, not the plugin.
        },
        async dispose() {
          client.close();
        },
      };
    },
  };
}
