import { createHmac } from 'node:crypto';

/**
 * The `X-Jovian-Signature` header of a webhook request: `sha256=` and the hex HMAC-SHA256 of
 * `<timestamp>.<body>`, keyed with the plugin's secret as text (the line in its `.key` file). The
 * timestamp is the `X-Jovian-Timestamp` header (unix seconds) and the body the exact bytes sent, so a
 * receiver can check both that the request comes from this host and that it is recent.
 */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
