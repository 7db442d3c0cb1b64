import { readFile } from 'node:fs/promises';
import { JovianError } from '../errors.js';
import { readServerAddress, tokenFile } from '../server/index.js';

/** The API of the `jovian serve` running over a data directory, with its token. */
export interface ServerApi {
  /** `http://127.0.0.1:4300` */
  readonly url: string;
  /**
   * One call; resolves with the JSON answer (`text: true`: the body as text).
   * @throws JOVIAN_E_SERVER_UNREACHABLE when the server does not answer; the API's own error (its code,
   * message and hint) when it refuses.
   */
  request<T>(method: string, path: string, body?: unknown, options?: { readonly text?: boolean }): Promise<T>;
}

/** The server running over `dataDir` (`<data-dir>/server.json`), or undefined when none runs. */
export async function runningServer(dataDir: string): Promise<ServerApi | undefined> {
  const server = await readServerAddress(dataDir);
  if (!server) return undefined;
  const token = (await readFile(tokenFile(dataDir), 'utf8').catch(() => '')).trim();
  const base = server.url;
  return {
    url: base,
    async request<T>(method: string, path: string, body?: unknown, options: { text?: boolean } = {}) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (cause) {
        throw new JovianError('JOVIAN_E_SERVER_UNREACHABLE', `cannot reach jovian serve at ${base}`, {
          cause,
          hint: 'is it still running? Stop it cleanly, or remove <data-dir>/server.json to use this process',
        });
      }
      const text = await response.text();
      if (!response.ok) {
        const error = (
          JSON.parse(text || '{}') as { error?: { code?: string; message?: string; hint?: string | null } }
        ).error;
        throw JovianError.fromData({
          code: error?.code ?? 'JOVIAN_E_UNEXPECTED',
          name: 'JovianError',
          message: error?.message ?? `HTTP ${response.status}`,
          ...(error?.hint ? { hint: error.hint } : {}),
        });
      }
      return (options.text ? text : JSON.parse(text)) as T;
    },
  };
}
