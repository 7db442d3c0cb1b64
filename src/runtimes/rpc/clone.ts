import { JovianError } from '../../errors.js';

/**
 * Copies `value` the way a worker or child-process boundary would (structured clone), so that an
 * in-process plugin run in strict-clone mode fails the same way it would once isolated.
 * @throws JovianError `JOVIAN_E_NOT_CLONEABLE` naming `what`.
 */
export function cloneAcrossBoundary<T>(value: T, what: string): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new JovianError(
      'JOVIAN_E_NOT_CLONEABLE',
      `${what} cannot cross the plugin boundary: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
