import type { GuestCalls, HostCalls } from './rpc/channel.js';
import { awaitHello } from './rpc/handshake.js';
import { APP_PROTOCOL_VERSION, type Capability, CORE_PROTOCOL_VERSION, type Hello } from './rpc/protocol.js';
import { RpcEndpoint } from './rpc/rpc-endpoint.js';
import type { Transport } from './rpc/transport.js';
import type { RuntimeLaunch } from './runtime.js';

/** The host's end of an isolated plugin's channel: calls with the plugin's deadline, its ctx served. */
export function openGuestChannel(
  transport: Transport,
  launch: RuntimeLaunch,
  label: string,
  onUnresponsive: (method: string, deadlineMs: number) => void,
): RpcEndpoint<HostCalls, GuestCalls> {
  const endpoint = new RpcEndpoint<HostCalls, GuestCalls>(transport, {
    label,
    defaultDeadlineMs: launch.callDeadlineMs,
    onUnresponsive,
  });
  endpoint.serve(launch.host);
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
  options: { readonly capabilities: readonly Capability[]; readonly entry?: string | undefined },
): Promise<Hello> {
  const { id, version } = launch.manifest;
  return awaitHello(
    endpoint as never,
    {
      core: CORE_PROTOCOL_VERSION,
      app: APP_PROTOCOL_VERSION,
      capabilities: options.capabilities,
      plugin: { id, version, ...(options.entry ? { entry: options.entry } : {}), paths: launch.paths },
    },
    launch.startDeadlineMs,
    label,
  );
}
