import { JovianError } from '../errors.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True for a location to download: an `https:` URL, or `http:` to this machine only (a local catalog
 * server); any other `http:` URL is refused when downloading.
 */
export function isRemote(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * Downloads `url` into memory, refusing more than `maxBytes` (streamed: a larger answer is cut off,
 * not buffered). Plain `http:` is allowed to loopback addresses only: a package fetched in clear text
 * from elsewhere could be swapped on the way.
 */
export async function downloadBytes(url: string, maxBytes: number): Promise<Buffer> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)))
    throw new JovianError('JOVIAN_E_DOWNLOAD_FAILED', `${url} is not an https URL`, {
      hint: 'packages and catalogs are downloaded over https only (plain http to localhost is allowed for testing)',
    });
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (cause) {
    throw new JovianError('JOVIAN_E_DOWNLOAD_FAILED', `cannot download ${url}: ${(cause as Error).message}`, {
      cause,
      hint: 'check the URL and the network, or download the file and give its path',
    });
  }
  if (!response.ok || !response.body)
    throw new JovianError('JOVIAN_E_DOWNLOAD_FAILED', `cannot download ${url}: HTTP ${response.status}`, {
      hint: 'check the URL, or download the file and give its path',
    });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes)
      throw new JovianError('JOVIAN_E_PACKAGE_TOO_LARGE', `${url} is larger than ${maxBytes} bytes`, {
        hint: 'a package is at most 128 MiB; check the URL',
      });
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
