import type { ApiErrorBody } from '../../../src/server/api-types';

/** An answer of the API that is not a success, with the server's code and hint when it sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const unauthorizedListeners = new Set<() => void>();

/** Calls `listener` whenever the API answers 401 (no cookie, or a token that is no longer valid). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * One call to `/api`: same origin, so the browser sends the login cookie and an Origin the server
 * accepts for state-changing calls. Resolves with the JSON body.
 * @throws ApiError for any status but 2xx (status 0 when the server cannot be reached).
 */
async function request<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch (cause) {
    throw new ApiError(
      0,
      'NETWORK',
      `cannot reach the server (${cause instanceof Error ? cause.message : String(cause)})`,
      'is `jovian serve` still running?',
    );
  }
  if (response.status === 401) for (const listener of unauthorizedListeners) listener();
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: Partial<ApiErrorBody> } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.hint ?? null,
    );
  }
  return body as T;
}

export const apiGet = <T>(path: string): Promise<T> => request<T>('GET', path);
export const apiPost = <T>(path: string): Promise<T> => request<T>('POST', path);

/** Any failure as an ApiError, so the UI shows every failure the same way. */
export function asApiError(failure: unknown): ApiError {
  return failure instanceof ApiError
    ? failure
    : new ApiError(0, 'CLIENT', failure instanceof Error ? failure.message : String(failure), null);
}
