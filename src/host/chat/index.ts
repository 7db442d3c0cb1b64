export {
  type ChatAutomation,
  type ChatCommand,
  type ChatCommandReply,
  type ChatHooks,
  type ChatMessage,
  createChatHooks,
} from './chat-hooks.js';
export { type ChatExchange, type ChatHost, ChatPipeline, type ChatStep } from './chat-pipeline.js';
