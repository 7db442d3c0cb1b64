import type { ApiI18nMessages, ApiPluginMetrics, ApiUiContributions } from '../../../src/server/api-types';
import { apiGet } from './client';

/** The panels and widgets the enabled plugins mount in the UI. */
export function getUiContributions(): Promise<ApiUiContributions> {
  return apiGet<ApiUiContributions>('/api/ui');
}

/** Every plugin's messages in `locale` (English where a plugin has none), keyed `plugin.<id>.<key>`. */
export function getPluginMessages(locale: string): Promise<ApiI18nMessages> {
  return apiGet<ApiI18nMessages>(`/api/i18n/${encodeURIComponent(locale)}`);
}

/** The plugin's own metrics; `values` is null while it is not active. */
export function getPluginMetrics(id: string): Promise<ApiPluginMetrics> {
  return apiGet<ApiPluginMetrics>(`/api/plugins/${encodeURIComponent(id)}/metrics`);
}
