// Content-Encoding decoded as fetch decodes it; the reads over HTTP are in real-api-behaviours.test.ts.
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptEncodingFor, decodedBody } from '../src/net/content-encoding.ts';

const text = JSON.stringify({ data: Array.from({ length: 50 }, (_, id) => ({ id, name: `contact ${id}` })) });

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function read(stream: Readable): Promise<string> {
  return (await bytesOf(stream)).toString('utf8');
}

/** The bytes in chunks of 100, as a socket hands them over. */
function body(bytes: Buffer): Readable {
  return Readable.from(Array.from({ length: Math.ceil(bytes.length / 100) }, (_, index) => bytes.subarray(index * 100, index * 100 + 100)));
}

describe('decodedBody', () => {
  it.each([
    ['gzip', zlib.gzipSync],
    ['x-gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
    ['GZIP', zlib.gzipSync],
  ] as const)('decodes %s', async (coding, encode) => {
    expect(await read(decodedBody(body(encode(text)), coding, 'GET', 200))).toBe(text);
  });

  it('decodes zstd where the runtime has it', async () => {
    if (typeof zlib.zstdCompressSync !== 'function') return;
    expect(await read(decodedBody(body(zlib.zstdCompressSync(text)), 'zstd', 'GET', 200))).toBe(text);
  });

  it('undoes codings in reverse order of listing; identity is no coding', async () => {
    const twice = zlib.brotliCompressSync(zlib.gzipSync(text));
    expect(await read(decodedBody(body(twice), 'gzip, identity, br', 'GET', 200))).toBe(text);
  });

  it('leaves a body alone when a coding is unknown, and answers without a body (HEAD, 204, 304)', async () => {
    const gzipped = zlib.gzipSync(text);
    expect((await bytesOf(decodedBody(body(gzipped), 'gzip, compress', 'GET', 200))).equals(gzipped)).toBe(true);
    expect(await read(decodedBody(Readable.from([]), 'gzip', 'HEAD', 200))).toBe('');
    expect(await read(decodedBody(Readable.from([]), 'gzip', 'GET', 204))).toBe('');
    expect(await read(decodedBody(Readable.from([]), 'gzip', 'GET', 304))).toBe('');
    expect(await read(decodedBody(body(Buffer.from(text)), null, 'GET', 200))).toBe(text);
  });

  it('fails on a stream that ends before its end marker, never handing over the part that arrived', async () => {
    // Browsers and cURL read such a stream as far as it goes; a read must not take part of a page for all of it.
    const gzipped = zlib.gzipSync(text);
    await expect(read(decodedBody(body(gzipped.subarray(0, gzipped.length - 8)), 'gzip', 'GET', 200))).rejects.toThrow(/unexpected end of file/);
    await expect(read(decodedBody(body(gzipped.subarray(0, gzipped.length >> 1)), 'gzip', 'GET', 200))).rejects.toThrow(/unexpected end of file/);
    const brotli = zlib.brotliCompressSync(text);
    await expect(read(decodedBody(body(brotli.subarray(0, brotli.length >> 1)), 'br', 'GET', 200))).rejects.toThrow();
  });

  it('refuses more than five codings, and fails on data that is not what it says', async () => {
    expect(() => decodedBody(body(Buffer.from(text)), 'gzip, gzip, gzip, gzip, gzip, gzip', 'GET', 200)).toThrow(/too many content codings/);
    await expect(read(decodedBody(body(Buffer.from(text)), 'gzip', 'GET', 200))).rejects.toThrow(/incorrect header check/);
  });

  it('offers what fetch offers: br only over https', () => {
    expect(acceptEncodingFor(new URL('https://api.example.test/x'))).toBe('br, gzip, deflate');
    expect(acceptEncodingFor(new URL('http://127.0.0.1:8080/x'))).toBe('gzip, deflate');
  });
});
