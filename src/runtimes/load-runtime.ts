import type { RuntimeKind } from '../types.js';
import { inProcessRuntime } from './inprocess/host.js';
import type { Runtime } from './runtime.js';

/**
 * The runtime for a plugin, loaded on first use: a host whose plugins all run in-process never loads
 * the worker, process or webhook code (and `jovian plugins list` starts faster).
 * Resolves to undefined for a runtime this version does not provide.
 */
export async function loadRuntime(
  kind: RuntimeKind,
  options: { readonly command: boolean; readonly dataDir: string },
): Promise<Runtime | undefined> {
  switch (kind) {
    case 'inprocess':
      return inProcessRuntime;
    case 'worker':
      return (await import('./worker/host.js')).workerRuntime;
    case 'process':
      return options.command
        ? (await import('./process/command-host.js')).commandRuntime
        : (await import('./process/host.js')).processRuntime;
    case 'lua':
      return (await import('./lua/host.js')).luaRuntime;
    case 'webhook':
      return (await import('./webhook/host.js')).createWebhookRuntime({ dataDir: options.dataDir });
    default:
      return undefined;
  }
}
