import type { ApiConfigIssue, ApiErrorBody } from '../../../src/server/api-types';

/**
 * An answer of the API that is not a success, with the server's code and hint when it sent them, and
 * the problems it listed one by one when it did (a refused config change: `issues`, else empty).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null,
    readonly issues: readonly ApiConfigIssue[] = [],
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

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One call to `/api`: same origin, so the browser sends the login cookie and an Origin the server
 * accepts for state-changing calls. Resolves with the JSON body.
 * @throws ApiError for any status but 2xx (status 0 when the server cannot be reached).
 */
export async function apiRequest<T>(method: ApiMethod, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const refusal = answer as { error?: Partial<ApiErrorBody>; issues?: unknown } | null;
    const error = refusal?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.hint ?? null,
      Array.isArray(refusal?.issues) ? (refusal.issues as ApiConfigIssue[]) : [],
    );
  }
  return answer as T;
}

export const apiGet = <T>(path: string): Promise<T> => apiRequest<T>('GET', path);
/** A POST whose body, when given, is `body` as JSON. */
export const apiPost = <T>(path: string, body?: unknown): Promise<T> => apiRequest<T>('POST', path, body);
/** A PUT whose body is `body` as JSON. */
export const apiPut = <T>(path: string, body: unknown): Promise<T> => apiRequest<T>('PUT', path, body);

/** Any failure as an ApiError, so the UI shows every failure the same way. */
export function asApiError(failure: unknown): ApiError {
  return failure instanceof ApiError
    ? failure
    : new ApiError(0, 'CLIENT', failure instanceof Error ? failure.message : String(failure), null);
}
