import type { ReactNode } from 'react';
import type { ApiPluginDetails } from '../../../src/server/api-types';
import { TrustBadge } from '../components/trust-badge';
import { useI18n } from '../i18n/i18n';
import { permissionWords } from '../plugins/permission-words';

/** What the manifest and the host say about a plugin, as a list of terms and values. */
export function PluginFacts({ details }: { readonly details: ApiPluginDetails }) {
  const { t, language } = useI18n();
  const none = <span className="muted">{t('plugin.none')}</span>;
  const runtime =
    details.declaredRuntime && details.declaredRuntime !== details.runtime
      ? t('plugin.declaredRuntime', { runtime: details.runtime ?? '—', declared: details.declaredRuntime })
      : (details.runtime ?? '—');
  const permissions = permissionWords(details.permissions, t);
  const contributes = details.contributes;
  const contributions = contributes
    ? [
        ...contributes.hooks.map((hook) => `hook ${hook.name}`),
        ...contributes.commands.map((command) => `command ${command.name}`),
        ...contributes.routes.map((route) => `route ${route.method} ${route.path}`),
        ...contributes.ui.panels.map((panel) => `panel ${panel.id}`),
        ...contributes.events.emit.map((topic) => `event ${topic}`),
        ...contributes.jobs.handlers.map((handler) => `job ${handler.name}`),
      ]
    : [];
  const facts: [string, ReactNode][] = [
    [t('plugin.id'), <code key="id">{details.id}</code>],
    [t('column.type'), details.type],
    [t('column.runtime'), runtime],
    [t('plugin.trust'), <TrustBadge key="trust" trust={details.trust} dev={details.dev_unsigned} />],
    [t('plugin.signature'), <SignatureFact key="signature" details={details} />],
    [t('column.breaker'), t(`breaker.${details.breaker}`)],
    [t('plugin.failures'), details.failures],
    [
      t('plugin.usage'),
      details.usage.calls === 0 || details.usage.lastCallAt === null
        ? t('plugin.usageNone')
        : t('plugin.usageSummary', {
            calls: details.usage.calls,
            average: (details.usage.averageMs ?? 0).toLocaleString(language, { maximumFractionDigits: 2 }),
            last: new Date(details.usage.lastCallAt).toLocaleString(language),
          }),
    ],
    [t('plugin.since'), new Date(details.since).toLocaleString(language)],
    [t('plugin.activation'), details.activation.length ? details.activation.join(', ') : none],
    [
      t('plugin.dependencies'),
      details.dependencies.length
        ? details.dependencies.map((d) => `${d.id}@${d.version}${d.optional ? '?' : ''}`).join(', ')
        : none,
    ],
    [t('plugin.permissions'), permissions.length ? permissions.join('; ') : none],
    [t('plugin.contributes'), contributions.length ? contributions.join(', ') : none],
    [t('plugin.author'), details.author ?? none],
    [t('plugin.license'), details.license ?? none],
    [t('plugin.folder'), <code key="dir">{details.dir}</code>],
  ];
  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">{t('plugin.details')}</h2>
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Who signed the plugin, when, and the key's fingerprint; or why it carries no signature. */
function SignatureFact({ details }: { readonly details: ApiPluginDetails }) {
  const { t, language } = useI18n();
  const signature = details.signature;
  if (!signature)
    return (
      <span className="muted">
        {details.dev_unsigned ? t('plugin.signatureDev') : t('plugin.signatureNone')}
      </span>
    );
  return (
    <span className="signature">
      {t('plugin.signatureSummary', {
        signer: signature.signer,
        date: new Date(signature.date).toLocaleString(language),
      })}{' '}
      <code className="fingerprint">{signature.fingerprint}</code>
    </span>
  );
}
