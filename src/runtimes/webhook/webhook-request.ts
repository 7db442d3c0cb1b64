import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { JovianError } from '../../errors.js';

/** What one POST came back with; only 2xx answers get this far. */
export interface WebhookResponse {
  readonly status: number;
  readonly body: string;
}

export interface WebhookPost {
  readonly url: URL;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Covers connecting, sending and reading the whole answer. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Aborted when the plugin is stopped: the request ends with `JOVIAN_E_RUNTIME_CLOSED`. */
  readonly signal: AbortSignal;
  /** Starts every message: "plugin `x`: webhook POST https://host/path (`run`)". */
  readonly label: string;
}

/**
 * POSTs one request and reads the whole answer. Redirects are not followed (a 3xx is a failure naming
 * where it pointed), so a request never reaches a URL the manifest does not name.
 * @throws JovianError `JOVIAN_E_WEBHOOK_FAILED` (connection, TLS, redirect, status other than 2xx),
 *   `JOVIAN_E_WEBHOOK_TIMEOUT`, `JOVIAN_E_WEBHOOK_TOO_LARGE`, `JOVIAN_E_RUNTIME_CLOSED`
 */
export function postWebhook(post: WebhookPost): Promise<WebhookResponse> {
  const { label, maxResponseBytes } = post;
  return new Promise((resolve, reject) => {
    let request: ClientRequest | undefined;
    let settled = false;
    const settle = (error: JovianError | undefined, response?: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      post.signal.removeEventListener('abort', onAbort);
      if (error) {
        request?.destroy();
        reject(error);
      } else resolve(response!);
    };
    const failed = (problem: string, cause?: unknown) =>
      new JovianError('JOVIAN_E_WEBHOOK_FAILED', `${label} ${problem}`, { cause });
    const onAbort = () =>
      settle(new JovianError('JOVIAN_E_RUNTIME_CLOSED', `${label} was cancelled: the plugin stopped`));
    const timer = setTimeout(
      () =>
        settle(
          new JovianError('JOVIAN_E_WEBHOOK_TIMEOUT', `${label} got no answer within ${post.timeoutMs} ms`),
        ),
      post.timeoutMs,
    );
    if (post.signal.aborted) return onAbort();
    post.signal.addEventListener('abort', onAbort, { once: true });
    const send = post.url.protocol === 'https:' ? httpsRequest : httpRequest;
    try {
      request = send(post.url, {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
      });
    } catch (error) {
      return settle(failed(`failed: ${(error as Error).message}`, error));
    }
    request.on('error', (error) => settle(failed(`failed: ${error.message}`, error)));
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        response.resume();
        return settle(failed(statusProblem(response, post.url)));
      }
      const tooLarge = () =>
        new JovianError(
          'JOVIAN_E_WEBHOOK_TOO_LARGE',
          `${label} answered with more than ${maxResponseBytes} bytes (webhook.max_response_kb)`,
        );
      if (Number(response.headers['content-length']) > maxResponseBytes) return settle(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) settle(tooLarge());
        else chunks.push(chunk);
      });
      response.on('end', () =>
        settle(undefined, { status, body: Buffer.concat(chunks, size).toString('utf8') }),
      );
      response.on('error', (error) =>
        settle(failed(`failed while reading the answer: ${error.message}`, error)),
      );
      response.on('close', () => {
        if (!response.complete) settle(failed('closed the connection before the answer was complete'));
      });
    });
    request.end(post.body);
  });
}

function statusProblem(response: IncomingMessage, url: URL): string {
  const status = `${response.statusCode} ${response.statusMessage ?? ''}`.trim();
  const location = response.headers.location;
  if (response.statusCode! >= 300 && response.statusCode! < 400 && location !== undefined) {
    let target = location;
    try {
      target = shownUrl(new URL(location, url));
    } catch {
      // Shown as received.
    }
    return `answered ${status}, a redirect to ${target.slice(0, 200)}; redirects are not followed: put the final URL in webhook.url`;
  }
  return `answered ${status}; a webhook must answer 2xx with a JSON body`;
}

/** A URL as messages show it: origin and path, never credentials or the query (it may carry a token). */
export function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
