import { JovianError } from '../../errors.js';
import type { LogLevel } from '../rpc/plugin-api.js';
import { readWebhookReply } from './webhook-reply.js';
import { postWebhook, shownUrl } from './webhook-request.js';
import { signWebhookBody } from './webhook-signature.js';

export interface WebhookClientOptions {
  readonly pluginId: string;
  readonly url: URL;
  /** The signing secret; never logged, never part of a message. */
  readonly secret: string;
  /** Deadline of each request (ms). */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Where the log lines of an answer go (the plugin's log). */
  readonly log: (level: LogLevel, message: string) => void;
}

/**
 * Sends one plugin's calls to its service: each call is one signed POST of
 * `{"plugin", "method", "params", "id"}` (JSON), answered by `{"result"}` or `{"error"}`.
 */
export class WebhookClient {
  readonly #options: WebhookClientOptions;
  readonly #stopped = new AbortController();
  #nextId = 1;

  constructor(options: WebhookClientOptions) {
    this.#options = options;
  }

  /**
   * POSTs `method` with `params` and resolves with the service's `result`; the service's `error`
   * rejects with its code and hint. Every failure names the plugin, the URL and the method.
   * @throws JovianError `JOVIAN_E_WEBHOOK_FAILED`, `JOVIAN_E_WEBHOOK_TIMEOUT`, `JOVIAN_E_WEBHOOK_TOO_LARGE`,
   *   `JOVIAN_E_WEBHOOK_BAD_RESPONSE`, `JOVIAN_E_NOT_CLONEABLE`, `JOVIAN_E_RUNTIME_CLOSED`
   */
  async call(method: string, params: readonly unknown[]): Promise<unknown> {
    const { pluginId, url, secret } = this.#options;
    const label = `plugin \`${pluginId}\`: webhook POST ${shownUrl(url)} (\`${method}\`)`;
    if (this.#stopped.signal.aborted)
      throw new JovianError('JOVIAN_E_RUNTIME_CLOSED', `${label} was refused: the plugin stopped`);
    const body = encode({ plugin: pluginId, method, params, id: this.#nextId++ }, label);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await postWebhook({
      url,
      body,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-jovian-plugin': pluginId,
        'x-jovian-timestamp': timestamp,
        'x-jovian-signature': signWebhookBody(secret, timestamp, body),
      },
      timeoutMs: this.#options.timeoutMs,
      maxResponseBytes: this.#options.maxResponseBytes,
      signal: this.#stopped.signal,
      label,
    });
    const reply = readWebhookReply(response.status, response.body, label);
    for (const line of reply.logs) this.#options.log(line.level, line.message);
    if ('error' in reply.outcome) throw reply.outcome.error;
    return reply.outcome.result;
  }

  /** Cancels the requests in flight and refuses new ones. */
  close(): void {
    this.#stopped.abort();
  }
}

function encode(envelope: Record<string, unknown>, label: string): string {
  try {
    return JSON.stringify(envelope);
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_NOT_CLONEABLE',
      `${label}: the arguments cannot be sent as JSON: ${(error as Error).message}`,
      { cause: error, hint: 'Pass plain JSON data (no BigInt, no cycles) to a webhook plugin.' },
    );
  }
}
