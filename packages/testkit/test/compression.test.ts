// Compressed answers: negotiated from Accept-Encoding, or forced whatever the request accepts. Read with node:http,
// which never decompresses, so the test sees the bytes a client gets.
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type CompressionOption, type TestApi } from '../src/index.ts';

const apis: TestApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.close()));
});

async function serve(compression?: CompressionOption): Promise<TestApi> {
  const api = await startTestApi({ dataset: { contacts: 5 }, ...(compression ? { compression } : {}) });
  apis.push(api);
  return api;
}

/** The answer's status, Content-Encoding and body bytes as they came over the wire. */
function get(url: string, acceptEncoding?: string): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compression', () => {
  it('negotiate: br first, then gzip, as the request accepts; none without Accept-Encoding or with q=0', async () => {
    const api = await serve('negotiate');
    const plain = await get(`${api.url}/cursor/contacts`);
    expect(plain.encoding).toBeUndefined();
    const records = JSON.parse(plain.body.toString('utf8')) as unknown;
    const br = await get(`${api.url}/cursor/contacts`, 'gzip, deflate, br');
    expect(br.encoding).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(records);
    const gzip = await get(`${api.url}/cursor/contacts`, 'gzip, deflate');
    expect(gzip.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString('utf8'))).toEqual(records);
    expect((await get(`${api.url}/cursor/contacts`, 'gzip;q=0, deflate')).encoding).toBeUndefined();
    expect((await get(`${api.url}/cursor/contacts`, '*')).encoding).toBe('br');
  });

  it('gzip or br: always, whatever the request accepts; error answers too', async () => {
    const api = await serve('gzip');
    const answer = await get(`${api.url}/cursor/contacts`);
    expect(answer.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(answer.body).toString('utf8'))).toMatchObject({ data: expect.any(Array) });
    const missing = await get(`${api.url}/nowhere`, 'identity');
    expect(missing).toMatchObject({ status: 404, encoding: 'gzip' });
    expect(gunzipSync(missing.body).toString('utf8')).toContain('not_found');
    const brApi = await serve('br');
    expect((await get(`${brApi.url}/cursor/contacts`, 'gzip')).encoding).toBe('br');
  });

  it('none by default: answers go as they are, whatever the request accepts', async () => {
    const api = await serve();
    expect((await get(`${api.url}/cursor/contacts`, 'gzip, br')).encoding).toBeUndefined();
  });
});
