// The probe against testkit's APIs, one per pagination style: it names the style, finds the records and a key,
// reports rate-limit headers, and never lets the credential into its result.
import { startTestApi, type TestApi } from '@pullpush/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryErrorCode, probeEndpoint } from '../src/index.ts';

const TOKEN = 'probe-secret-token-4e1f';
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ auth: { kind: 'bearer', token: TOKEN } });
});
afterAll(() => api.close());

const options = () => ({ auth: { kind: 'bearer' as const, token: '{{ $config.token }}' }, config: { token: TOKEN }, allowPrivateNetwork: 'loopback' as const, allowInsecureHttp: true });

describe('probeEndpoint names the pagination style of each testkit API', () => {
  const cases: Array<[string, string, string | undefined, object]> = [
    ['/cursor/customers?limit=5', 'cursor', 'data', { cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'query', name: 'cursor' }, stopWhen: '$not(has_more)' }],
    ['/cursor-header/customers?limit=5', 'cursor', undefined, { cursor: { from: 'header', path: 'x-next-cursor' } }],
    ['/offset/customers?limit=5', 'offset', 'items', { offsetParam: { in: 'query', name: 'offset' }, limitParam: { in: 'query', name: 'limit' }, total: { from: 'body', path: 'total' } }],
    ['/page/customers?per_page=5', 'page', 'results', { pageParam: { in: 'query', name: 'page' }, totalPages: { from: 'body', path: 'total_pages' } }],
    ['/link/customers?per_page=5', 'link', undefined, {}],
    ['/next-url/customers?limit=5', 'nextUrl', 'records', { path: 'next' }],
    ['/after/customers?limit=5', 'cursor', undefined, { cursor: { from: 'body', path: '$[-1].id' }, param: { in: 'query', name: 'after' } }],
  ];
  for (const [path, kind, recordsPath, spec] of cases) {
    it(`${path.split('?')[0]} → ${kind}`, { timeout: 60_000 }, async () => {
      const result = await probeEndpoint(`${api.url}${path}`, options());
      expect(result.status).toBe(200);
      expect(result.pagination.spec).toMatchObject({ kind, ...spec });
      expect(result.records.path).toBe(recordsPath);
      expect(result.records.count).toBe(5);
      expect(result.primaryKey[0]?.field).toBe('id');
      expect(result.schema).toMatchObject({ type: 'object', properties: { id: expect.any(Object) } });
      expect(JSON.stringify(result)).not.toContain(TOKEN);
    });
  }

  it('asks nothing more of a list that is not paged, when told to only look', { timeout: 60_000 }, async () => {
    const result = await probeEndpoint(`${api.url}/after/customers?limit=5`, { ...options(), maxExtraRequests: 0 });
    expect(result.pagination.spec.kind).toBe('none');
    expect(result.requests).toBe(1);
  });
});

describe('probeEndpoint keeps secrets out and fails clearly', () => {
  it('redacts a credential the API echoes in the body, headers and URL', { timeout: 60_000 }, async () => {
    const result = await probeEndpoint(`${api.url}/cursor/customers?limit=2&email=${TOKEN}`, options());
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(result.url).toContain('email=');
  });

  it('without credentials: the 401 is an error naming the URL', { timeout: 60_000 }, async () => {
    await expect(probeEndpoint(`${api.url}/cursor/customers`, { allowPrivateNetwork: 'loopback', allowInsecureHttp: true })).rejects.toMatchObject({ code: 'ENGINE_HTTP_STATUS', message: expect.stringContaining('/cursor/customers') });
  });

  it('refuses a private address unless allowed, and a non-URL', async () => {
    await expect(probeEndpoint(`${api.url}/cursor/customers`, { ...options(), allowPrivateNetwork: false })).rejects.toMatchObject({ code: expect.stringMatching(/^ENGINE_/) });
    await expect(probeEndpoint('not a url', options())).rejects.toMatchObject({ code: DiscoveryErrorCode.Unreadable });
  });
});
