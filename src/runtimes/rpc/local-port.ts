import { errorToData, JovianError } from '../../errors.js';
import type { Handlers, Port } from './channel.js';
import { cloneAcrossBoundary } from './clone.js';

type Calls = { [K in string]: (...args: never[]) => unknown };

/**
 * A port whose calls are answered by local handlers: the in-process transport. Every call is async,
 * and errors reach the caller rebuilt from plain data (as they would across a real boundary), so plugin
 * code sees the same errors in every runtime. With `clone`, arguments and results are structured-cloned
 * too, which proves a plugin would work unchanged in an isolated runtime.
 */
export function createLocalPort<C extends Calls>(
  handlers: Handlers<C>,
  options: { clone: boolean; label: string },
): Port<C> {
  const { clone, label } = options;
  return {
    async call(method, ...args) {
      const input = clone
        ? cloneAcrossBoundary(args, `the arguments of ${label} \`${String(method)}\``)
        : args;
      let result: unknown;
      try {
        const handler = handlers[method] as (...a: unknown[]) => unknown;
        result = await handler(...(input as unknown[]));
      } catch (error) {
        throw JovianError.fromData(errorToData(error));
      }
      return (
        clone ? cloneAcrossBoundary(result, `the result of ${label} \`${String(method)}\``) : result
      ) as never;
    },
  };
}
