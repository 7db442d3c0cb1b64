import { AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook } from '../../hooks/index.js';

/** A chat message, as the chat hooks pass it (seed: id, role, content, timestamp). */
export interface ChatMessage {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly content: string;
  /** ISO 8601. */
  readonly timestamp: string;
}

/** A `/command` typed in the chat: `/weather paris` → `{ name: 'weather', args: ['paris'] }`. */
export interface ChatCommand {
  readonly name: string;
  readonly args: readonly string[];
}

/** What a plugin answers to a command. */
export interface ChatCommandReply {
  readonly response: string;
}

export interface ChatAutomation {
  readonly name: string;
  readonly type: string;
  readonly status: string;
}

/**
 * The hooks of the demo chat application (the lifecycle and message hooks of the Lua plugin design):
 * `filter_message` and `filter_response` are waterfalls (each filter gets the previous one's message);
 * `on_command` stops at the first plugin that answers; the others call every plugin in order.
 */
export function createChatHooks() {
  return {
    on_startup: new AsyncSeriesHook<[]>({ name: 'on_startup' }),
    on_shutdown: new AsyncSeriesHook<[]>({ name: 'on_shutdown' }),
    on_chat: new AsyncSeriesHook<[ChatMessage]>({ name: 'on_chat' }),
    on_command: new AsyncSeriesBailHook<[ChatCommand], ChatCommandReply>({ name: 'on_command' }),
    on_automation: new AsyncSeriesHook<[ChatAutomation]>({ name: 'on_automation' }),
    filter_message: new AsyncSeriesWaterfallHook<ChatMessage>({ name: 'filter_message' }),
    filter_response: new AsyncSeriesWaterfallHook<ChatMessage>({ name: 'filter_response' }),
  };
}

export type ChatHooks = ReturnType<typeof createChatHooks>;
