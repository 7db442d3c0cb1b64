import type { ApiConfigUpdate, ApiPluginConfig } from '../../../src/server/api-types';
import { apiGet, apiPut } from './client';

const configUrl = (id: string) => `/api/plugins/${encodeURIComponent(id)}/config`;

/** The plugin's effective config, its file, and its config_schema (null when it declares none). */
export function getPluginConfig(id: string): Promise<ApiPluginConfig> {
  return apiGet<ApiPluginConfig>(configUrl(id));
}

/**
 * Sends `values` (keys to change) to the server, which validates them together against the plugin's
 * config_schema. With `dryRun` nothing is written: the answer only lists what would change.
 * @throws ApiError with `issues` (JSON pointers) when the server refuses the values.
 */
export function putPluginConfig(
  id: string,
  values: Readonly<Record<string, unknown>>,
  dryRun: boolean,
): Promise<ApiConfigUpdate> {
  return apiPut<ApiConfigUpdate>(`${configUrl(id)}${dryRun ? '?dry_run=1' : ''}`, { values });
}
