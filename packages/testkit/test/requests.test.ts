// The request log and counters that tests assert on.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../src/index.ts';
import { postJson, request } from './helpers.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 1, auth: { kind: 'session', username: 'u', password: 'p' } });
});
afterAll(() => api.close());
beforeEach(() => api.resetRequests());

describe('request log', () => {
  it('records method, path, query, lower-cased headers, body, status and time of every request', async () => {
    const before = Date.now();
    await request(api, '/cursor/orders?limit=3&cursor=abc', { headers: { 'X-Custom': 'Yes' } });
    await postJson(api, '/session', { username: 'u', password: 'p' });
    const [list, login] = api.requests;
    expect(list).toMatchObject({ method: 'GET', path: '/cursor/orders', query: { limit: '3', cursor: 'abc' }, status: 401 });
    expect(list?.headers['x-custom']).toBe('Yes');
    expect(list?.body).toBeUndefined();
    expect(list?.at).toBeGreaterThanOrEqual(before);
    expect(login).toMatchObject({ method: 'POST', path: '/session', status: 200, body: '{"username":"u","password":"p"}' });
    expect((login?.seq ?? 0) > (list?.seq ?? 0)).toBe(true);
  });

  it('counts with filters, and counts token requests separately', async () => {
    const { token } = (await postJson<{ token: string }>(api, '/session', { username: 'u', password: 'p' })).body;
    for (const path of ['/cursor/orders', '/cursor/contacts', '/offset/orders', '/nope/route']) await request(api, path, { headers: { 'x-session-token': token } });
    await request(api, '/cursor/orders');
    expect(api.count()).toBe(6);
    expect(api.count({ pathPrefix: '/cursor/' })).toBe(3);
    expect(api.count({ path: '/cursor/orders' })).toBe(2);
    expect(api.count({ path: '/cursor/orders', status: 401 })).toBe(1);
    expect(api.count({ method: 'post' })).toBe(1);
    expect(api.count({ status: 404 })).toBe(1);
    expect(api.tokenRequests).toBe(1);
    api.resetRequests();
    expect([api.count(), api.tokenRequests, api.requests.length]).toEqual([0, 0, 0]);
  });

  it('answers unknown routes 404 and wrong methods 405 with Allow', async () => {
    const wrong = await request(api, '/oauth/token');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await request(api, '/a/b/c/d/e')).status).toBe(404);
  });

  it('refuses request bodies over the limit with 413', async () => {
    const response = await request(api, '/session', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(response.status).toBe(413);
  });
});
