import { lazy, Suspense } from 'react';
import type { ApiPluginConfig, JsonSchema } from '../../../src/server/api-types';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { usePluginConfig } from './use-plugin-config';
import './settings.css';

/** rjsf and its validator in a chunk of their own, fetched only for a plugin that has settings. */
const SettingsForm = lazy(() => import('./settings-form'));

const hasSchema = (config: ApiPluginConfig): config is ApiPluginConfig & { readonly schema: JsonSchema } =>
  config.schema !== null;

/**
 * `/plugins/<id>`, "Settings": the plugin's config as a form, when its plugin.yaml declares a
 * config_schema with a schema; nothing at all otherwise.
 */
export function SettingsSection({ id }: { readonly id: string }) {
  const { t } = useI18n();
  const { config, error, replace } = usePluginConfig(id);
  if (error) return <ErrorBanner error={error} />;
  if (config === null || !hasSchema(config)) return null;
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <Suspense fallback={<p className="placeholder">{t('settings.loading')}</p>}>
        <SettingsForm id={id} config={config} onSaved={replace} />
      </Suspense>
    </section>
  );
}
