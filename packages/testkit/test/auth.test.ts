// Every auth kind accepts the right credentials and refuses missing or wrong ones; token kinds issue, expire,
// refresh and rotate tokens.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type AuthOptions, type TestApi } from '../src/index.ts';
import { request } from './helpers.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(auth: AuthOptions): Promise<TestApi> {
  api = await startTestApi({ seed: 1, auth });
  return api;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

const STATIC: [string, AuthOptions, { right: RequestInit & { path?: string }; wrong: RequestInit & { path?: string } }][] = [
  ['apiKey in a header', { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'k3y' }, { right: { headers: { 'x-api-key': 'k3y' } }, wrong: { headers: { 'X-Api-Key': 'nope' } } }],
  ['apiKey in the query', { kind: 'apiKey', in: 'query', name: 'api_key', value: 'k3y' }, { right: { path: '/cursor/orders?api_key=k3y' }, wrong: { path: '/cursor/orders?api_key=nope' } }],
  ['bearer', { kind: 'bearer', token: 't0ken' }, { right: { headers: { authorization: 'Bearer t0ken' } }, wrong: { headers: { authorization: 'Bearer t0ke' } } }],
  ['basic', { kind: 'basic', username: 'ada', password: 's3cret' }, { right: { headers: { authorization: basic('ada', 's3cret') } }, wrong: { headers: { authorization: basic('ada', 'secret') } } }],
  ['headers', { kind: 'headers', headers: { 'X-Tenant': 'acme', 'X-Key': 'k' } }, { right: { headers: { 'x-tenant': 'acme', 'x-key': 'k' } }, wrong: { headers: { 'x-tenant': 'acme' } } }],
];

describe.each(STATIC)('%s', (_name, auth, { right, wrong }) => {
  it('accepts the right credentials and refuses missing or wrong ones with 401', async () => {
    const server = await start(auth);
    const { path: rightPath = '/cursor/orders', ...rightInit } = right;
    const { path: wrongPath = '/cursor/orders', ...wrongInit } = wrong;
    expect((await request(server, rightPath, rightInit)).status).toBe(200);
    const missing = await request<{ error: { code: string } }>(server, '/cursor/orders');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('missing_credentials');
    const refused = await request<{ error: { code: string } }>(server, wrongPath, wrongInit);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_credentials');
  });
});

describe('apiKey in several places', () => {
  it('accepts the key in any place given by alsoIn, and refuses wrong keys wherever they are', async () => {
    const server = await start({ kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'k3y', alsoIn: [{ in: 'query', name: 'key' }] });
    expect((await request(server, '/cursor/orders', { headers: { 'x-api-key': 'k3y' } })).status).toBe(200);
    expect((await request(server, '/cursor/orders?key=k3y')).status).toBe(200);
    expect((await request(server, '/cursor/orders?key=k3y', { headers: { 'x-api-key': 'nope' } })).status).toBe(200);
    const wrong = await request<{ error: { code: string } }>(server, '/cursor/orders?key=nope');
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'invalid_credentials']);
    expect((await request<{ error: { code: string } }>(server, '/cursor/orders')).body.error.code).toBe('missing_credentials');
  });
});

describe('publicRoutes', () => {
  it('serves the listed routes without valid credentials and refuses the others', async () => {
    api = await startTestApi({ seed: 1, auth: { kind: 'bearer', token: 't0ken' }, publicRoutes: ['/cursor', '/offset/orders'] });
    for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
      expect((await request(api, '/cursor/orders', { headers })).status).toBe(200);
      expect((await request(api, '/cursor/tickets/10001/comments', { headers })).status).toBe(200);
      expect((await request(api, '/offset/orders', { headers })).status).toBe(200);
      expect((await request(api, '/offset/contacts', { headers })).status).toBe(401);
      expect((await request(api, '/cursor-header/orders', { headers })).status).toBe(401);
    }
    // The default list (Redmine's issues and projects) is replaced, not extended.
    expect((await request(api, '/redmine/issues.json')).status).toBe(401);
  });
});

describe('401 bodies and challenges', () => {
  it('sends WWW-Authenticate for basic and bearer, and refuses in each API’s own shape', async () => {
    const server = await start({ kind: 'bearer', token: 'xoxb-1' });
    const generic = await request(server, '/cursor/orders', { headers: { authorization: 'Bearer bad' } });
    expect(generic.headers.get('www-authenticate')).toBe('Bearer realm="testkit", error="invalid_token"');
    expect((await request(server, '/repos/acme/web/issues')).body).toMatchObject({ message: expect.any(String), documentation_url: expect.any(String) });
    expect((await request(server, '/rest/api/3/search')).body).toMatchObject({ errorMessages: [expect.any(String)] });
    expect((await request(server, '/v1/customers')).body).toMatchObject({ error: { type: 'invalid_request_error' } });
    // Slack answers 200 with ok: false, which slack.json's response filters look for.
    const slack = await request(server, '/api/users.list', { headers: { authorization: 'Bearer xoxb-2' } });
    expect(slack.status).toBe(200);
    expect(slack.body).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await request(server, '/api/users.list')).body).toEqual({ ok: false, error: 'not_authed' });
  });

  it('switches credentials at run time with setAuth', async () => {
    const server = await start({ kind: 'none' });
    expect((await request(server, '/cursor/orders')).status).toBe(200);
    server.setAuth({ kind: 'bearer', token: 'new' });
    expect((await request(server, '/cursor/orders')).status).toBe(401);
    expect((await request(server, '/cursor/orders', { headers: { authorization: 'Bearer new' } })).status).toBe(200);
  });
});

describe('oauth2ClientCredentials', () => {
  const auth: AuthOptions = { kind: 'oauth2ClientCredentials', clientId: 'cid', clientSecret: 'csecret', scopes: ['read', 'write'], maxUses: 2 };

  it('issues tokens for client credentials in the body or a Basic header, and accepts them', async () => {
    const server = await start(auth);
    const viaBody = await request<{ access_token: string; token_type: string; expires_in: number; scope: string }>(
      server,
      '/oauth/token',
      form({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'csecret', scope: 'read' }),
    );
    expect(viaBody.status).toBe(200);
    expect(viaBody.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
    expect(viaBody.headers.get('cache-control')).toBe('no-store');
    const init = form({ grant_type: 'client_credentials' });
    const viaHeader = await request<{ access_token: string }>(server, '/oauth/token', { ...init, headers: { ...(init.headers as object), authorization: basic('cid', 'csecret') } });
    expect(viaHeader.body.access_token).not.toBe(viaBody.body.access_token);
    const ok = await request(server, '/cursor/orders', { headers: { authorization: `Bearer ${viaBody.body.access_token}` } });
    expect(ok.status).toBe(200);
    expect(server.tokenRequests).toBe(2);
    expect(server.count({ path: '/oauth/token' })).toBe(2);
  });

  it('refuses wrong clients, grants, scopes and content types with OAuth error codes', async () => {
    const server = await start(auth);
    const cases: [Record<string, string>, number, string][] = [
      [{ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'nope' }, 401, 'invalid_client'],
      [{ grant_type: 'password', client_id: 'cid', client_secret: 'csecret' }, 400, 'unsupported_grant_type'],
      [{ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'csecret', scope: 'admin' }, 400, 'invalid_scope'],
    ];
    for (const [fields, status, error] of cases) {
      const response = await request<{ error: string }>(server, '/oauth/token', form(fields));
      expect([response.status, response.body.error]).toEqual([status, error]);
    }
    const json = await request<{ error: string }>(server, '/oauth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.body.error).toBe('invalid_request');
  });

  it('expires tokens after maxUses and on expireTokens(), so refresh-on-401 can be tested', async () => {
    const server = await start(auth);
    const token = async () =>
      (await request<{ access_token: string }>(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'csecret' }))).body.access_token;
    const first = await token();
    const use = (t: string) => request<{ error: { code: string } }>(server, '/cursor/orders', { headers: { authorization: `Bearer ${t}` } });
    expect((await use(first)).status).toBe(200);
    expect((await use(first)).status).toBe(200);
    const third = await use(first);
    expect([third.status, third.body.error.code]).toEqual([401, 'token_expired']);
    const second = await token();
    expect((await use(second)).status).toBe(200);
    server.expireTokens();
    expect((await use(second)).status).toBe(401);
    expect(server.tokenRequests).toBe(2);
  });

  it('enforces expires_in by the clock', async () => {
    const server = await start({ kind: 'oauth2ClientCredentials', clientId: 'cid', clientSecret: 'csecret', expiresIn: 0.2 });
    const { access_token } = (await request<{ access_token: string }>(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'csecret' }))).body;
    expect((await request(server, '/cursor/orders', { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await request(server, '/cursor/orders', { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(401);
  });
});

describe('oauth2RefreshToken', () => {
  const refresh = (server: TestApi, token: string) =>
    request<{ access_token: string; refresh_token: string; error?: string }>(server, '/oauth/token', form({ grant_type: 'refresh_token', refresh_token: token, client_id: 'cid', client_secret: 'cs' }));

  it('rotates: each refresh returns a new refresh token and the old one stops working', async () => {
    const server = await start({ kind: 'oauth2RefreshToken', clientId: 'cid', clientSecret: 'cs', refreshToken: 'rt-initial' });
    expect(server.refreshToken).toBe('rt-initial');
    const first = await refresh(server, 'rt-initial');
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toMatch(/^rt_/);
    expect(server.refreshToken).toBe(first.body.refresh_token);
    const reused = await refresh(server, 'rt-initial');
    expect([reused.status, reused.body.error]).toEqual([400, 'invalid_grant']);
    const second = await refresh(server, first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await refresh(server, first.body.refresh_token)).status).toBe(400);
    expect((await request(server, '/cursor/orders', { headers: { authorization: `Bearer ${second.body.access_token}` } })).status).toBe(200);
    expect((await request(server, '/cursor/orders', { headers: { authorization: `Bearer ${first.body.access_token}` } })).status).toBe(200);
    expect(server.tokenRequests).toBe(4);
  });

  it('keeps the refresh token when rotation is off', async () => {
    const server = await start({ kind: 'oauth2RefreshToken', clientId: 'cid', clientSecret: 'cs', refreshToken: 'rt-fixed', rotate: false });
    expect((await refresh(server, 'rt-fixed')).body.refresh_token).toBe('rt-fixed');
    expect((await refresh(server, 'rt-fixed')).status).toBe(200);
  });
});

describe('session', () => {
  it('logs in with JSON credentials and then takes the token in X-Session-Token', async () => {
    const server = await start({ kind: 'session', username: 'ada', password: 'pw', maxUses: 1 });
    const wrong = await request(server, '/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada', password: 'no' }) });
    expect(wrong.status).toBe(401);
    const login = await request<{ token: string; expires_in: number }>(server, '/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: 'pw' }),
    });
    expect(login.body).toMatchObject({ token: expect.stringMatching(/^st_/), expires_in: 3600 });
    expect((await request(server, '/cursor/orders', { headers: { 'x-session-token': login.body.token } })).status).toBe(200);
    expect((await request(server, '/cursor/orders', { headers: { 'x-session-token': login.body.token } })).status).toBe(401);
    expect((await request(server, '/cursor/orders', { headers: { 'x-session-token': 'forged' } })).status).toBe(401);
    expect((await request(server, '/cursor/orders')).status).toBe(401);
    expect(server.tokenRequests).toBe(2);
  });
});
