import { type GuestCalls, type HostCalls, TRACED_CALLS } from './rpc/channel.js';
import { awaitHello } from './rpc/handshake.js';
import {
  APP_PROTOCOL_VERSION,
  type Capability,
  CORE_PROTOCOL_VERSION,
  type Hello,
  PROTOCOL_METHODS,
} from './rpc/protocol.js';
import { RpcEndpoint } from './rpc/rpc-endpoint.js';
import type { Transport } from './rpc/transport.js';
import type { RuntimeLaunch } from './runtime.js';

/** A call's deadline when the plugin has none: also the time a `$/ping` may take. */
const DEFAULT_PING_DEADLINE_MS = 60_000;

/**
 * The host's end of an isolated plugin's channel: calls with the plugin's deadline, its ctx served.
 * The plugin is unresponsive when a call or a liveness `$/ping` (every `launch.livenessIntervalMs`,
 * answered within the call deadline) gets no answer in time — a busy loop in a timer included: `stop`
 * is then called with why, and must end the plugin.
 */
export function openGuestChannel(
  transport: Transport,
  launch: RuntimeLaunch,
  label: string,
  stop: (reason: string) => void,
): RpcEndpoint<HostCalls, GuestCalls> {
  const endpoint = new RpcEndpoint<HostCalls, GuestCalls>(transport, {
    label,
    defaultDeadlineMs: launch.callDeadlineMs,
    followCause: TRACED_CALLS,
    onUnresponsive: (method, ms) => {
      const reason = `was unresponsive: it did not answer ${method} within ${ms} ms`;
      launch.output?.('error', `${label} ${reason}; stopping it`);
      stop(reason);
    },
  });
  endpoint.serve(launch.host);
  const every = launch.livenessIntervalMs;
  if (every !== undefined && every > 0) {
    const deadlineMs = launch.callDeadlineMs ?? DEFAULT_PING_DEADLINE_MS;
    const timer = setInterval(() => {
      endpoint.request(PROTOCOL_METHODS.ping, [], { deadlineMs }).catch(() => undefined);
    }, every);
    timer.unref();
    endpoint.onClose(() => clearInterval(timer));
  }
  return endpoint;
}

/**
 * Waits for the plugin's `$/hello` (within the start deadline) and welcomes it with who it is and its
 * folders; Node guests are also told which module to load.
 */
export function welcomeGuest(
  endpoint: RpcEndpoint<HostCalls, GuestCalls>,
  launch: RuntimeLaunch,
  label: string,
  options: {
    readonly capabilities: readonly Capability[];
    readonly entry?: string | undefined;
    /** Sent to guests that need them (Lua): the declared hooks and the memory cap. */
    readonly manifestFacts?: boolean;
    /** The plugin's code as text, for guests that run it from the welcome (Lua). */
    readonly source?: string | undefined;
  },
): Promise<Hello> {
  const { id, version } = launch.manifest;
  return awaitHello(
    endpoint as never,
    {
      core: CORE_PROTOCOL_VERSION,
      app: APP_PROTOCOL_VERSION,
      capabilities: options.capabilities,
      plugin: {
        id,
        version,
        ...(options.entry ? { entry: options.entry } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.manifestFacts
          ? {
              hooks: launch.manifest.contributes.hooks.map((tap) => tap.name),
              memory_mb: launch.manifest.limits.memory_mb,
            }
          : {}),
        paths: launch.paths,
      },
    },
    launch.startDeadlineMs,
    label,
  );
}
