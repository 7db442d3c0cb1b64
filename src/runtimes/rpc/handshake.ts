import { JovianError } from '../../errors.js';
import {
  APP_PROTOCOL_VERSION,
  type Capability,
  CORE_PROTOCOL_VERSION,
  type Hello,
  PROTOCOL_MAGIC,
  PROTOCOL_METHODS,
  type Welcome,
} from './protocol.js';
import type { RpcEndpoint } from './rpc-endpoint.js';

type AnyEndpoint = RpcEndpoint<never, never>;

/** Guest side: introduces itself and waits for the host's welcome. */
export async function sayHello(
  endpoint: AnyEndpoint,
  capabilities: readonly Capability[],
  runtime: string,
): Promise<Welcome> {
  const hello: Hello = {
    magic: PROTOCOL_MAGIC,
    core: CORE_PROTOCOL_VERSION,
    app: APP_PROTOCOL_VERSION,
    capabilities,
    runtime,
  };
  return (await endpoint.request(PROTOCOL_METHODS.hello, [hello])) as Welcome;
}

/**
 * Host side: waits (at most `timeoutMs`) for the guest's `$/hello`, checks the magic value and the
 * protocol versions, and answers with `welcome`. Resolves with the guest's hello.
 * @throws JOVIAN_E_PROTOCOL_MISMATCH (refused, the guest is told why) or JOVIAN_E_ACTIVATION_TIMEOUT
 */
export function awaitHello(
  endpoint: AnyEndpoint,
  welcome: Welcome,
  timeoutMs: number,
  label: string,
): Promise<Hello> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new JovianError(
          'JOVIAN_E_ACTIVATION_TIMEOUT',
          `${label} did not start talking the plugin protocol within ${timeoutMs} ms`,
          {
            hint: 'the program must send $/hello first (docs/protocol.md); check that it starts and writes to stdout',
          },
        ),
      );
    }, timeoutMs);
    endpoint.onClose((reason) => {
      clearTimeout(timer);
      reject(new JovianError('JOVIAN_E_RUNTIME_CLOSED', `${label} ended before saying hello: ${reason}`));
    });
    endpoint.serveProtocol(PROTOCOL_METHODS.hello, (params) => {
      const hello = params[0] as Partial<Hello> | undefined;
      const problem = checkHello(hello);
      if (problem) {
        const error = new JovianError('JOVIAN_E_PROTOCOL_MISMATCH', `${label}: ${problem}`, {
          hint: `speak core protocol ${CORE_PROTOCOL_VERSION} and app protocol ${APP_PROTOCOL_VERSION}, and send magic "${PROTOCOL_MAGIC}" (docs/protocol.md)`,
        });
        clearTimeout(timer);
        reject(error);
        throw error;
      }
      clearTimeout(timer);
      resolve(hello as Hello);
      return welcome;
    });
  });
}

function checkHello(hello: Partial<Hello> | undefined): string | undefined {
  if (typeof hello !== 'object' || hello === null) return '$/hello carried no parameters';
  if (hello.magic !== PROTOCOL_MAGIC)
    return `$/hello has the wrong magic value ${JSON.stringify(hello.magic)}`;
  if (hello.core !== CORE_PROTOCOL_VERSION)
    return `it speaks core protocol ${String(hello.core)}, this host speaks ${CORE_PROTOCOL_VERSION}`;
  if (hello.app !== APP_PROTOCOL_VERSION)
    return `it speaks app protocol ${String(hello.app)}, this host speaks ${APP_PROTOCOL_VERSION}`;
  if (!Array.isArray(hello.capabilities)) return '$/hello has no capabilities list';
  return undefined;
}
