import type { ApiJob, ApiJobState } from '../../../src/server/api-types';
import { apiGet, apiPost, apiRequest } from './client';

export interface JobFilter {
  readonly plugin?: string;
  readonly state?: ApiJobState;
  readonly limit?: number;
}

/** Jobs newest first (`GET /api/jobs`). */
export async function listJobs(filter: JobFilter = {}): Promise<ApiJob[]> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) query.set(key, String(value));
  const suffix = query.size > 0 ? `?${query}` : '';
  return (await apiGet<{ jobs: ApiJob[] }>(`/api/jobs${suffix}`)).jobs;
}

/** Submits a job of a handler the plugin declares. */
export function submitJob(plugin: string, name: string, params: unknown): Promise<ApiJob> {
  return apiPost<ApiJob>('/api/jobs', { plugin, name, params });
}

/** Asks a job to stop. */
export function cancelJob(id: string): Promise<ApiJob> {
  return apiRequest<ApiJob>('DELETE', `/api/jobs/${encodeURIComponent(id)}`);
}
