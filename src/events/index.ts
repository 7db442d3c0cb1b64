export {
  type BusEvent,
  EventBus,
  type HandlerFailure,
  type OverflowPolicy,
  type OverflowReport,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionStats,
} from './event-bus.js';
export { matches, validatePattern, validateTopic } from './topics.js';
