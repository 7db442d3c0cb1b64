export { EventBus } from './event-bus.js';
export type {
  BusEvent,
  HandlerFailure,
  OverflowPolicy,
  OverflowReport,
  SubscribeOptions,
  Subscription,
  SubscriptionStats,
} from './event-types.js';
export { matches, validatePattern, validateTopic } from './topics.js';
