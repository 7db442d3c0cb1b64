import type { ChatExchangeView } from './chat-types';
import { apiPost } from './client';

/** Sends a message, or a `/command`, through the chat hooks. */
export function sendChat(message: string): Promise<ChatExchangeView> {
  return apiPost<ChatExchangeView>('/api/chat', { message });
}
