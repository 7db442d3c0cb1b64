export type {
  ContributionKind,
  GuestCalls,
  GuestMethod,
  Handlers,
  HostCalls,
  HostMethod,
  Port,
} from './channel.js';
export { cloneAcrossBoundary } from './clone.js';
export { createGuestSide, type GuestIdentity, type GuestSide } from './guest-context.js';
export { createLocalPort } from './local-port.js';
export * from './plugin-api.js';
