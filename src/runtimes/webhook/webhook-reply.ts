import { JovianError } from '../../errors.js';
import type { LogLevel } from '../rpc/plugin-api.js';

/** A line the service asked to write to the plugin's log. */
export interface WebhookLogLine {
  readonly level: LogLevel;
  readonly message: string;
}

/** A webhook's answer: its outcome and the log lines that came with it. */
export interface WebhookReply {
  readonly outcome: { readonly result: unknown } | { readonly error: JovianError };
  readonly logs: readonly WebhookLogLine[];
}

const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);
const MAX_LOG_LINES = 100;
const MAX_LOG_LENGTH = 4_000;
const MAX_ERROR_FIELD = 2_000;

/**
 * Reads the body of a 2xx answer: `{"result": …}` or `{"error": {"code", "message", "hint"}}`, either
 * with an optional `"logs": [{"level", "message"}]`. A 204 (no content) means `{"result": null}`.
 * The service's error keeps its code and hint; without a code it is `JOVIAN_E_UNEXPECTED`, as a plain
 * `throw` in a plugin is.
 * @throws JovianError `JOVIAN_E_WEBHOOK_BAD_RESPONSE` for anything else; `label` starts the message.
 */
export function readWebhookReply(status: number, body: string, label: string): WebhookReply {
  if (status === 204) return { outcome: { result: null }, logs: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badResponse(label, `answered a body that is not JSON: ${excerpt(body)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badResponse(label, `answered JSON that is not an object: ${excerpt(body)}`);
  const reply = parsed as Record<string, unknown>;
  const logs = readLogs(reply['logs']);
  if (reply['error'] !== undefined && reply['error'] !== null)
    return { outcome: { error: readError(reply['error'], label) }, logs };
  if (!Object.hasOwn(reply, 'result'))
    throw badResponse(label, 'answered an object with neither `result` nor `error`');
  return { outcome: { result: reply['result'] }, logs };
}

export function badResponse(label: string, problem: string): JovianError {
  return new JovianError('JOVIAN_E_WEBHOOK_BAD_RESPONSE', `${label} ${problem}`);
}

function readError(raw: unknown, label: string): JovianError {
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw badResponse(label, 'answered an `error` that is not an object with `code`, `message` and `hint`');
  const fields = raw as Record<string, unknown>;
  const text = (value: unknown) =>
    typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_ERROR_FIELD) : undefined;
  return JovianError.fromData({
    code: text(fields['code']) ?? 'JOVIAN_E_UNEXPECTED',
    name: 'JovianError',
    message: text(fields['message']) ?? `${label} answered an error without a message`,
    hint: text(fields['hint']),
  });
}

function readLogs(raw: unknown): WebhookLogLine[] {
  if (!Array.isArray(raw)) return [];
  const lines: WebhookLogLine[] = [];
  for (const entry of raw.slice(0, MAX_LOG_LINES)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { level, message } = entry as Record<string, unknown>;
    if (message === undefined) continue;
    lines.push({
      level: typeof level === 'string' && LEVELS.has(level) ? (level as LogLevel) : 'info',
      message: String(message).slice(0, MAX_LOG_LENGTH),
    });
  }
  return lines;
}

/** The start of a body, on one line, for messages. */
function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (line === '') return '(empty)';
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}
