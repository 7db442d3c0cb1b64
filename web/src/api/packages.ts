import type {
  ApiAvailableUpdates,
  ApiErrorBody,
  ApiInstallAnswer,
  ApiInstalledPackages,
  ApiRollbackResult,
  ApiUninstallResult,
} from '../../../src/server/api-types';
import { ApiError, apiGet, apiPost, apiRequest } from './client';

/** How an install request is sent: a dry run shows the plan; consent holds only for the plan of `hash`. */
export interface InstallChoice {
  readonly dryRun?: boolean;
  readonly consent?: boolean;
  readonly hash?: string;
}

const flags = (choice: InstallChoice) => ({
  dry_run: choice.dryRun === true,
  consent: choice.consent === true,
  ...(choice.hash ? { hash: choice.hash } : {}),
});

const pluginUrl = (id: string) => `/api/plugins/${encodeURIComponent(id)}`;

/** Sends a package file's bytes; the server keeps it (`upload`) while its plan waits for consent. */
export async function uploadPackage(file: File, choice: InstallChoice): Promise<ApiInstallAnswer> {
  const query = new URLSearchParams({ filename: file.name });
  for (const [name, value] of Object.entries(flags(choice))) query.set(name, String(value));
  let response: Response;
  try {
    response = await fetch(`/api/packages?${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
      body: file,
    });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK', `cannot reach the server (${String(cause)})`, null);
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (answer as { error?: Partial<ApiErrorBody> } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.hint ?? null,
    );
  }
  return answer as ApiInstallAnswer;
}

/** Installs from a path, URL or catalog name (`source`), or from a file sent before (`upload`). */
export function installFrom(
  from: { readonly source: string } | { readonly upload: string },
  choice: InstallChoice,
): Promise<ApiInstallAnswer> {
  return apiPost<ApiInstallAnswer>('/api/packages', { ...from, ...flags(choice) });
}

export const listInstalled = () => apiGet<ApiInstalledPackages>('/api/packages');

export const checkUpdates = () => apiGet<ApiAvailableUpdates>('/api/packages/updates');

export function updatePlugin(id: string, choice: InstallChoice): Promise<ApiInstallAnswer> {
  return apiPost<ApiInstallAnswer>(`${pluginUrl(id)}/update`, flags(choice));
}

export function uninstallPlugin(id: string, cascade: boolean): Promise<ApiUninstallResult> {
  return apiRequest<ApiUninstallResult>('DELETE', `${pluginUrl(id)}${cascade ? '?cascade=1' : ''}`);
}

export function rollbackPlugin(id: string): Promise<ApiRollbackResult> {
  return apiPost<ApiRollbackResult>(`${pluginUrl(id)}/rollback`, {});
}
