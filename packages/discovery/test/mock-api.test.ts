// The mock API of a description: it pages the way the description says, asks for its credentials and refuses
// what the description does not declare, naming it.
import { testConnector } from '@pullpush/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover, draftConnector, MOCK_CREDENTIALS, mockConfig, startMockApi, type MockApi } from '../src/index.ts';
import { openapi31, swagger2 } from './descriptions.ts';

const basic = `Basic ${Buffer.from(`${MOCK_CREDENTIALS.username}:${MOCK_CREDENTIALS.password}`).toString('base64')}`;

describe('the mock API of a Swagger 2.0 description (basic auth, page numbers)', () => {
  let mock: MockApi;
  beforeAll(async () => {
    mock = await startMockApi(await discover({ text: swagger2 }), { records: 23, maxPageSize: 10 });
  });
  afterAll(() => mock.close());

  it('serves on 127.0.0.1 under the server path, with finite pages and a consistent page count', async () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    const pages = [];
    for (const page of [1, 2, 3, 4]) {
      const response = await fetch(`${mock.url}/tickets?page=${page}&per_page=100`, { headers: { authorization: basic } });
      expect(response.status).toBe(200);
      pages.push((await response.json()) as { tickets: Array<{ id: number }>; total_pages: number });
    }
    expect(pages.map((page) => page.tickets.length)).toEqual([10, 10, 3, 0]);
    expect(pages.every((page) => page.total_pages === 3)).toBe(true);
    expect(new Set(pages.flatMap((page) => page.tickets.map((ticket) => ticket.id))).size).toBe(23);
  });

  it('answers 401 without the credentials or with wrong ones', async () => {
    expect((await fetch(`${mock.url}/tickets`)).status).toBe(401);
    const wrong = await fetch(`${mock.url}/tickets`, { headers: { authorization: `Basic ${Buffer.from('mock-user:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
  });

  it('refuses an unknown path (404), another method (405) and an undeclared or malformed parameter (400), naming it', async () => {
    const headers = { authorization: basic };
    const unknown = await fetch(`${mock.url}/tickets/archive/all`, { headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: expect.stringContaining('/api/v2/tickets/archive/all') });
    const post = await fetch(`${mock.url}/tickets`, { method: 'POST', headers });
    expect(post.status).toBe(405);
    const param = await fetch(`${mock.url}/tickets?sort=asc`, { headers });
    expect(param.status).toBe(400);
    expect(await param.json()).toMatchObject({ message: expect.stringContaining('"sort"') });
    const malformed = await fetch(`${mock.url}/tickets?page=two`, { headers });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ message: expect.stringContaining('"page"') });
  });

  it('is read to the end by the draft, the child stream once per parent record', { timeout: 60_000 }, async () => {
    const model = await discover({ text: swagger2 });
    const draft = draftConnector(model, { streams: ['GET /tickets/{id}/comments'] });
    const report = await testConnector(draft.definition, mockConfig(draft), { baseUrl: mock.url, allowPrivateNetwork: 'loopback', allowInsecureHttp: true });
    expect(report.verdict).toBe('pass');
    expect(report.auth.provesCredentials).toBe(true);
    expect(report.streams.map((stream) => [stream.stream, stream.pages >= 3])).toEqual([['tickets', true], ['comments', true]]);
  });
});

describe('the mock API of an OpenAPI 3.1 description (API key, cursor)', () => {
  it('hands out cursors it alone issued and refuses others', async () => {
    const mock = await startMockApi(await discover({ text: JSON.stringify(openapi31) }), { records: 15, maxPageSize: 10 });
    try {
      expect(mock.url).toMatch(/\/v1$/);
      const headers = { 'x-api-key': MOCK_CREDENTIALS.apiKey };
      const first = (await (await fetch(`${mock.url}/folders?limit=200`, { headers })).json()) as { data: unknown[]; next_cursor: string; has_more: boolean };
      expect(first).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
      expect(first.data).toHaveLength(10);
      const second = (await (await fetch(`${mock.url}/folders?cursor=${first.next_cursor}`, { headers })).json()) as { data: unknown[]; next_cursor: string | null; has_more: boolean };
      expect(second).toMatchObject({ has_more: false, next_cursor: null });
      expect(second.data).toHaveLength(5);
      const forged = await fetch(`${mock.url}/folders?cursor=abc`, { headers });
      expect(forged.status).toBe(400);
    } finally {
      await mock.close();
    }
  });
});

describe('OAuth 2.0 through the mock token endpoint', () => {
  it('issues an access token for the refresh token and accepts it', { timeout: 60_000 }, async () => {
    const spec = {
      ...openapi31,
      components: { ...openapi31.components, securitySchemes: { oauth: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://eu.files.example.com/oauth/authorize', tokenUrl: 'https://eu.files.example.com/oauth/token', scopes: { read: 'read' } } } } } },
      security: [{ oauth: ['read'] }],
    };
    const model = await discover({ text: JSON.stringify(spec) });
    const draft = draftConnector(model);
    expect(draft.definition.auth).toMatchObject({ kind: 'oauth2AuthorizationCode', tokenUrl: 'https://eu.files.example.com/oauth/token', scopes: ['read'] });
    const mock = await startMockApi(model);
    try {
      const refused = await fetch(`${mock.url.replace(/\/v1$/, '')}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'stolen', client_id: MOCK_CREDENTIALS.clientId, client_secret: MOCK_CREDENTIALS.clientSecret }) });
      expect(refused.status).toBe(400);
      const granted = await fetch(`${mock.url.replace(/\/v1$/, '')}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: MOCK_CREDENTIALS.refreshToken, client_id: MOCK_CREDENTIALS.clientId, client_secret: MOCK_CREDENTIALS.clientSecret }) });
      expect(await granted.json()).toMatchObject({ access_token: MOCK_CREDENTIALS.accessToken });
      expect((await fetch(`${mock.url}/folders`, { headers: { authorization: `Bearer ${MOCK_CREDENTIALS.accessToken}` } })).status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});
