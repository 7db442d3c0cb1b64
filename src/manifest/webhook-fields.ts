import { diagnostic } from '../errors.js';
import type { Diagnostic } from '../types.js';
import type { YamlPath } from '../util/index.js';
import type { RawManifest } from './schema.js';

type Report = (d: Omit<Diagnostic, 'where'>, path: YamlPath, atKey?: boolean) => void;

/**
 * The fields that depend on `runtime: webhook`: a webhook plugin needs a `webhook` section (and may
 * leave out `main`, having no code here); every other plugin needs `main` and may not have `webhook`.
 * The URL must parse and carry no user name or password — manifests are shared, and the host signs
 * every request instead.
 */
export function checkWebhookFields(raw: RawManifest, report: Report): void {
  const runtime = raw.runtime ?? 'inprocess';
  if (runtime !== 'webhook') {
    if (raw.main === undefined) {
      report(
        diagnostic('JOVIAN_E_MANIFEST_MISSING_FIELD', 'missing required field `main`', {
          hint: 'add `main: <entry file>` (relative to the plugin folder); only webhook plugins have none',
        }),
        ['main'],
      );
    }
    if (raw.webhook !== undefined) {
      report(
        diagnostic(
          'JOVIAN_E_MANIFEST_INVALID',
          `\`webhook\` is only used with \`runtime: webhook\`, and this plugin's runtime is \`${runtime}\``,
          { hint: 'set `runtime: webhook`, or remove the `webhook` section' },
        ),
        ['webhook'],
        true,
      );
    }
    return;
  }
  if (raw.webhook === undefined) {
    report(
      diagnostic('JOVIAN_E_MANIFEST_MISSING_FIELD', '`runtime: webhook` needs a `webhook` section', {
        hint: 'add `webhook: { url: https://… }`: the URL the host POSTs the plugin’s calls to',
      }),
      ['runtime'],
    );
    return;
  }
  let url: URL;
  try {
    url = new URL(raw.webhook.url);
  } catch {
    report(diagnostic('JOVIAN_E_MANIFEST_INVALID', '`webhook.url` is not a valid URL'), ['webhook', 'url']);
    return;
  }
  if (url.username !== '' || url.password !== '') {
    report(
      diagnostic('JOVIAN_E_MANIFEST_INVALID', '`webhook.url` must not carry a user name or password', {
        hint: 'remove them from the URL; the receiving service checks X-Jovian-Signature instead',
      }),
      ['webhook', 'url'],
    );
  }
}
