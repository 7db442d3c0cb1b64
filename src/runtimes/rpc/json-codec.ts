/**
 * The JSON codec of the stdio transport (docs/protocol.md, "JSON codec"). Structured clone carries more
 * than JSON does; the difference is settled here, once, so that both ends agree:
 * - bytes (Uint8Array, Buffer, any other typed array or DataView, ArrayBuffer) are written as
 *   `{"$bytes": "<base64>"}` and read back as a Uint8Array;
 * - a Date is written as its ISO 8601 string (and arrives as a string);
 * - `undefined` leaves the key out of an object and is `null` in an array; NaN and ±Infinity are `null`
 *   (JSON's own rules);
 * - a Map, a Set, a bigint, a function or a symbol is refused (JOVIAN_E_NOT_CLONEABLE) rather than
 *   silently turned into `{}` or dropped;
 * - when reading, an object whose only key is `$bytes` (a string) is bytes — that shape is reserved —
 *   and keys named `__proto__` are dropped, so no message can reach an object's prototype.
 */
import { JovianError } from '../../errors.js';

const NOT_JSON_HINT =
  'pass plain data (objects, arrays, strings, finite numbers, booleans, null) and bytes as Uint8Array; turn a Map into an object and a Set into an array';

/** One value as JSON text. @throws JOVIAN_E_NOT_CLONEABLE for values JSON cannot carry */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, replace);
}

/** JSON text as a value, with bytes restored. @throws SyntaxError when the text is not JSON */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, revive);
}

/** The replacer sees values after toJSON(); the holder (`this`) still has the original one. */
function replace(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return bytes(original);
  if (ArrayBuffer.isView(original))
    return bytes(new Uint8Array(original.buffer, original.byteOffset, original.byteLength));
  if (original instanceof ArrayBuffer) return bytes(new Uint8Array(original));
  switch (typeof original) {
    case 'bigint':
    case 'function':
    case 'symbol':
      throw refuse(`a ${typeof original}`, key);
  }
  if (original instanceof Map) throw refuse('a Map', key);
  if (original instanceof Set) throw refuse('a Set', key);
  return value;
}

function bytes(view: Uint8Array): { $bytes: string } {
  return { $bytes: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64') };
}

function refuse(what: string, key: string): JovianError {
  const where = key === '' ? '' : ` (at key \`${key}\`)`;
  return new JovianError('JOVIAN_E_NOT_CLONEABLE', `${what}${where} cannot be sent as JSON`, {
    hint: NOT_JSON_HINT,
  });
}

function revive(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.hasOwn(value, '$bytes')
  ) {
    const encoded = (value as { $bytes: unknown }).$bytes;
    if (typeof encoded === 'string' && Object.keys(value).length === 1)
      return new Uint8Array(Buffer.from(encoded, 'base64'));
  }
  return value;
}
