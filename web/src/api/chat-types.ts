// Types only, with `.js` paths: test/unit/web reads them under Node's rules.
import type { ErrorData } from '../../../src/types.js';

/** A message of the chat, as the chat hooks pass it. */
export interface ChatMessageView {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly content: string;
  readonly timestamp: string;
}

/** One tap that ran while a message went through the chat hooks: who, at which hook, with what outcome. */
export interface ChatStepView {
  readonly hook: string;
  readonly plugin: string;
  readonly durationMs?: number;
  readonly outcome: 'ok' | 'error';
  /** What the tap returned; absent when it kept the value or did not answer. */
  readonly result?: unknown;
  readonly error?: ErrorData;
}

/** `POST /api/chat`: the exchange as `jovian chat --json` prints it (docs/cli.md). */
export interface ChatExchangeView {
  readonly message: ChatMessageView;
  readonly command: { readonly name: string; readonly args: readonly string[] } | null;
  readonly response: ChatMessageView;
  readonly answeredBy: string | null;
  readonly steps: readonly ChatStepView[];
  readonly logs: readonly { readonly plugin: string; readonly level: string; readonly message: string }[];
}
