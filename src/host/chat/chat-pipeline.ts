import { AsyncLocalStorage } from 'node:async_hooks';
import { errorToData, JovianError } from '../../errors.js';
import type { LogLine } from '../../observability/index.js';
import type { ErrorData } from '../../types.js';
import type { ChatAutomation, ChatCommand, ChatHooks, ChatMessage } from './chat-hooks.js';

/** One plugin's part in an exchange: a tap that ran, with what it returned or threw. */
export interface ChatStep {
  readonly hook: string;
  /** The tap (the plugin id for plugin taps). */
  readonly plugin: string;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'error';
  /** What the tap returned (undefined: kept the value / did not answer). */
  readonly result?: unknown;
  readonly error?: ErrorData;
}

/** What happened to one message: the filtered message, the reply, and who did what. */
export interface ChatExchange {
  readonly message: ChatMessage;
  /** The command, for messages starting with `/`; null otherwise. */
  readonly command: ChatCommand | null;
  readonly response: ChatMessage;
  /** Which plugin answered the command; null when none did (or for plain messages). */
  readonly answeredBy: string | null;
  readonly steps: readonly ChatStep[];
  /** Log lines the plugins wrote while handling the message. */
  readonly logs: readonly Pick<LogLine, 'plugin' | 'level' | 'message'>[];
}

interface Trace {
  readonly steps: ChatStep[];
  readonly logs: Pick<LogLine, 'plugin' | 'level' | 'message'>[];
}

export interface ChatHost {
  readonly hooks: ChatHooks;
  readonly logs: { onLine(listener: (line: LogLine) => void): { dispose(): void } };
}

/**
 * Sends messages through the chat hooks: `filter_message` → `on_command` (for `/commands`) or
 * `on_chat` → `filter_response`, recording every tap's result and every log line of the exchange.
 * Traces are kept apart per exchange (async context), so concurrent exchanges never mix.
 */
export class ChatPipeline {
  readonly #hooks: ChatHooks;
  readonly #current = new AsyncLocalStorage<Trace>();

  constructor(host: ChatHost) {
    this.#hooks = host.hooks;
    for (const hook of Object.values(host.hooks)) {
      hook.intercept({
        name: 'chat-trace',
        result: (tap, value, durationMs) => {
          this.#current.getStore()?.steps.push({
            hook: hook.name,
            plugin: tap.name,
            durationMs: round(durationMs),
            outcome: 'ok',
            result: value,
          });
        },
        error: (tap, error) => {
          this.#current.getStore()?.steps.push({
            hook: hook.name,
            plugin: tap.name,
            durationMs: 0,
            outcome: 'error',
            error: errorToData(error),
          });
        },
      });
    }
    host.logs.onLine((line) => {
      this.#current.getStore()?.logs.push({ plugin: line.plugin, level: line.level, message: line.message });
    });
  }

  /** Sends a user message; a message starting with `/` is a command. */
  send(content: string): Promise<ChatExchange> {
    const trace: Trace = { steps: [], logs: [] };
    return this.#current.run(trace, async () => {
      const message = checkMessage(
        await this.#hooks.filter_message.call(chatMessage('user', content)),
        'filter_message',
      );
      let command: ChatCommand | undefined;
      let reply: string;
      let answeredBy: string | undefined;
      if (message.content.startsWith('/')) {
        const [name = '', ...args] = message.content.slice(1).trim().split(/\s+/);
        command = { name, args };
        const answer = await this.#hooks.on_command.call(command);
        answeredBy = [...trace.steps]
          .reverse()
          .find((s) => s.hook === 'on_command' && s.result !== undefined)?.plugin;
        reply =
          typeof answer?.response === 'string' ? answer.response : `Unknown command /${name}. Try /help.`;
      } else {
        await this.#hooks.on_chat.call(message);
        reply = `You said: ${message.content}`;
      }
      const response = checkMessage(
        await this.#hooks.filter_response.call(chatMessage('assistant', reply)),
        'filter_response',
      );
      return {
        message,
        command: command ?? null,
        response,
        answeredBy: answeredBy ?? null,
        steps: trace.steps,
        logs: trace.logs,
      };
    });
  }

  /** Reports an automation run to the plugins (`on_automation`). */
  automation(automation: ChatAutomation): Promise<readonly ChatStep[]> {
    const trace: Trace = { steps: [], logs: [] };
    return this.#current.run(trace, async () => {
      await this.#hooks.on_automation.call(automation);
      return trace.steps;
    });
  }

  /** Calls `on_startup` (or `on_shutdown`) and returns who answered what. */
  lifecycle(hook: 'on_startup' | 'on_shutdown'): Promise<readonly ChatStep[]> {
    const trace: Trace = { steps: [], logs: [] };
    return this.#current.run(trace, async () => {
      await this.#hooks[hook].call();
      return trace.steps;
    });
  }
}

function chatMessage(role: ChatMessage['role'], content: string): ChatMessage {
  return { id: globalThis.crypto.randomUUID(), role, content, timestamp: new Date().toISOString() };
}

/** A filter must hand back a message; anything else would corrupt the exchange. */
function checkMessage(value: unknown, hook: string): ChatMessage {
  const message = value as ChatMessage | undefined;
  if (typeof message !== 'object' || message === null || typeof message.content !== 'string') {
    throw new JovianError(
      'JOVIAN_E_HOOK_TAP_FAILED',
      `a \`${hook}\` filter returned ${JSON.stringify(value)} instead of a message`,
      {
        hint: 'a filter returns the message it received (changed or not), or nothing to keep it',
      },
    );
  }
  return message;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
