// Compressed answers, as real APIs send them: most compress when the client says it accepts an encoding
// (nginx, CDNs), some compress whatever the client said (a misconfigured proxy). A client that does not
// decompress reads bytes that are not JSON.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Reply } from './http.ts';

/**
 * `negotiate`: br or gzip when the request's Accept-Encoding lists it (br first), else as it is. `gzip`, `br`:
 * always that encoding, whatever the request accepts.
 */
export type CompressionOption = 'negotiate' | 'gzip' | 'br';

type Encoding = 'gzip' | 'br';

/** Whether an Accept-Encoding value accepts an encoding (a q of 0 refuses it). */
function accepts(acceptEncoding: string | undefined, encoding: Encoding): boolean {
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (name !== encoding && name !== '*') continue;
    const q = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** The reply compressed as the option says, for a request that accepts `acceptEncoding`; others as they are. */
export function compressed(reply: Reply, acceptEncoding: string | undefined, option: CompressionOption | undefined): Reply {
  const { body } = reply;
  // Only whole bodies: streamed ones are the faults' (slow, huge, truncated), which must reach the client as they are.
  if (option === undefined || body === undefined || (typeof body !== 'string' && !(body instanceof Uint8Array))) return reply;
  const encoding: Encoding | undefined = option === 'negotiate' ? (['br', 'gzip'] as const).find((candidate) => accepts(acceptEncoding, candidate)) : option;
  if (encoding === undefined || body.length === 0) return { ...reply, headers: { ...reply.headers, vary: 'accept-encoding' } };
  const bytes = encoding === 'br' ? brotliCompressSync(body) : gzipSync(body);
  return { ...reply, headers: { ...reply.headers, 'content-encoding': encoding, vary: 'accept-encoding' }, body: bytes };
}
