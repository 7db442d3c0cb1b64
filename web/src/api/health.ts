import type { ApiHealth } from '../../../src/server/api-types';
import { apiGet } from './client';

/** `GET /api/health`: the host's status, its mode, and each plugin's last health check. */
export function getHealth(): Promise<ApiHealth> {
  return apiGet<ApiHealth>('/api/health');
}
