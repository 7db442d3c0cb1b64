/**
 * The SSH wire encoding (RFC 4251 §5) that OpenSSH keys and SSHSIG signatures use: `string` is a
 * uint32 big-endian length followed by the bytes; `uint32` is 4 bytes big-endian.
 */

/** Encodes byte strings as SSH `string`s, one after another. */
export function sshStrings(...parts: readonly (Uint8Array | string)[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

export function sshUint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

/** Reads SSH wire values from a buffer; throws a plain Error (mapped by callers) when data runs out. */
export class SshReader {
  readonly #data: Buffer;
  #offset = 0;

  constructor(data: Buffer) {
    this.#data = data;
  }

  get done(): boolean {
    return this.#offset >= this.#data.length;
  }

  bytes(length: number): Buffer {
    if (this.#offset + length > this.#data.length) throw new Error('truncated SSH data');
    const out = this.#data.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  text(): string {
    return this.string().toString('utf8');
  }
}
