import { isJovianError, JovianError } from '../errors.js';
import { type DisposableStore, withDeadline } from '../util/index.js';
import type { PluginRecord } from './plugin-record.js';

/** Activation errors reported as they are; any other failure becomes JOVIAN_E_ACTIVATION_FAILED. */
const KEPT_CODES = new Set([
  'JOVIAN_E_ACTIVATION_TIMEOUT',
  'JOVIAN_E_ACTIVATION_FAILED',
  'JOVIAN_E_DEPENDENCY_FAILED',
  'JOVIAN_E_ENTRY_INVALID',
  'JOVIAN_E_MANIFEST_MAIN_MISSING',
  'JOVIAN_E_RUNTIME_UNAVAILABLE',
  'JOVIAN_E_NOT_CLONEABLE',
  'JOVIAN_E_PROTOCOL_MISMATCH',
  'JOVIAN_E_EXECUTABLE_NOT_FOUND',
  'JOVIAN_E_ISOLATION_REFUSED',
]);

export function asActivationError(record: PluginRecord, error: unknown): JovianError {
  if (isJovianError(error) && (KEPT_CODES.has(error.code) || error.code.startsWith('JOVIAN_E_CONFIG_')))
    return error;
  const message = error instanceof Error ? error.message : String(error);
  return new JovianError(
    'JOVIAN_E_ACTIVATION_FAILED',
    `plugin \`${record.id}\` failed to activate: ${message}`,
    { cause: error },
  );
}

export function safeDispose(store: DisposableStore): void {
  try {
    store.dispose();
  } catch {
    // A registration that cannot be released must not stop the others from being released.
  }
}

/** Awaits a plugin's load and activate() within its activation deadline (JOVIAN_E_ACTIVATION_TIMEOUT). */
export function withinActivationDeadline(
  record: PluginRecord,
  work: Promise<void>,
  timeoutMs: number,
): Promise<void> {
  return withDeadline(
    work,
    timeoutMs,
    () =>
      new JovianError(
        'JOVIAN_E_ACTIVATION_TIMEOUT',
        `plugin \`${record.id}\` did not activate within ${timeoutMs} ms`,
      ),
  );
}
