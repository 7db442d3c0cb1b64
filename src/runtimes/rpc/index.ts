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
export { awaitHello, sayHello } from './handshake.js';
export { decodeJson, encodeJson } from './json-codec.js';
export { createLocalPort } from './local-port.js';
export { MAX_LINE_BYTES, type NdjsonTransportOptions, ndjsonTransport } from './ndjson-transport.js';
export * from './plugin-api.js';
export * from './protocol.js';
export { type CallOptions, type EndpointOptions, type IncomingCall, RpcEndpoint } from './rpc-endpoint.js';
export { createMemoryTransportPair, type Transport } from './transport.js';
