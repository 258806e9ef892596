// Compressed answers (Content-Encoding), decoded as fetch decodes them: gzip, deflate, br and zstd, applied in
// reverse order of listing; an encoding it does not know leaves the body as it came. Unlike fetch (and cURL), a
// stream that ends before its end marker is an error, not the part that arrived: a read must never take part of a
// page for all of it (a JSON Lines or CSV body cut at a line would parse).
import { pipeline, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';

/** More codings than this in one answer are refused: each costs a decoder (a resource-exhaustion guard). */
const MAX_CODINGS = 5;

type Decoder = () => NodeJS.ReadWriteStream;

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
  ...(typeof zlib.createZstdDecompress === 'function' ? { zstd: () => zlib.createZstdDecompress() } : {}),
};

/** What fetch offers where a request sets no Accept-Encoding: gzip and deflate, and br over https. */
export function acceptEncodingFor(url: URL): string {
  return url.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
}

/**
 * The body decoded as its Content-Encoding says. An answer that has no body (HEAD, 204, 304) is not decoded;
 * an unknown coding leaves the body as it came; more than five codings is an error.
 */
export function decodedBody(body: Readable, contentEncoding: string | null, method: string, status: number): Readable {
  if (contentEncoding === null || method === 'HEAD' || status === 204 || status === 304) return body;
  const codings = contentEncoding.toLowerCase().split(',').map((coding) => coding.trim()).filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length > MAX_CODINGS) throw new Error(`too many content codings in the answer: ${codings.length}, at most ${MAX_CODINGS}`);
  const decoders: NodeJS.ReadWriteStream[] = [];
  for (const coding of codings.reverse()) {
    const decoder = DECODERS[coding];
    if (!decoder) return body;
    decoders.push(decoder());
  }
  if (decoders.length === 0) return body;
  // The last stream of the pipeline carries any error of the others; reading it is reading the body.
  return pipeline(body, ...(decoders as [NodeJS.ReadWriteStream]), () => undefined) as unknown as Readable;
}
