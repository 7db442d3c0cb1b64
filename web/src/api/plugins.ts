import type {
  ApiEnableResult,
  ApiLogLine,
  ApiPluginDetails,
  ApiPluginSummary,
} from '../../../src/server/api-types';
import { apiGet, apiPost } from './client';

const pluginUrl = (id: string) => `/api/plugins/${encodeURIComponent(id)}`;

export async function listPlugins(): Promise<ApiPluginSummary[]> {
  return (await apiGet<{ plugins: ApiPluginSummary[] }>('/api/plugins')).plugins;
}

export function getPlugin(id: string): Promise<ApiPluginDetails> {
  return apiGet<ApiPluginDetails>(pluginUrl(id));
}

export function setPluginEnabled(id: string, enabled: boolean): Promise<ApiEnableResult> {
  return apiPost<ApiEnableResult>(`${pluginUrl(id)}/${enabled ? 'enable' : 'disable'}`);
}

/** The plugin's last `tail` log lines kept in memory by the server (at most 1000). */
export async function pluginLogs(id: string, tail: number): Promise<ApiLogLine[]> {
  return (await apiGet<{ lines: ApiLogLine[] }>(`${pluginUrl(id)}/logs?tail=${tail}`)).lines;
}
