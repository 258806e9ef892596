// Every auth kind of the DSL against the testkit auth of the same kind: credentials reach the API as it expects,
// tokens are fetched once and refreshed exactly once when they expire, rotated refresh tokens are written back,
// and wrong credentials end in a coded error that never shows the secret.
import type { PullPushError } from '@pullpush/canonical';
import { describe, expect, it } from 'vitest';
import { compileConnector, type Connector, type ConnectorOptions } from '../src/index.ts';
import { collect, definition, local, ofType, readError, rejection, remoteIds, sortedStrings, type TestApi, type TestApiOptions, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const apis = useTestApis();

async function serve(auth: TestApiOptions['auth']): Promise<TestApi> {
  const api = await apis.serve({ seed: 11, dataset: { customers: 12 }, ...(auth ? { auth } : {}) });
  return api;
}

const CUSTOMERS = {
  customers: {
    request: { path: '/cursor/customers' },
    records: { path: 'data' },
    primaryKey: ['id'],
    pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'query', name: 'cursor' }, pageSize: { param: { in: 'query', name: 'limit' }, value: 5 } },
  },
};

/** A definition reading customers with the given auth and config properties (secret ones marked). */
function withAuth(auth: Json, properties: Record<string, { secret?: boolean }>): Json {
  const config = { type: 'object', properties: Object.fromEntries(Object.entries(properties).map(([key, extra]) => [key, { type: 'string', ...extra }])) };
  return definition(CUSTOMERS, { auth, config });
}

async function connect(api: TestApi, def: Json, config: Json, options: ConnectorOptions = {}): Promise<Connector> {
  const connector = await compileConnector(def, config, local(api, options));
  apis.keep(connector);
  return connector;
}

async function readsEverything(api: TestApi, connector: Connector): Promise<void> {
  const ids = remoteIds(await collect(connector.read('customers')));
  expect(ids.sort()).toEqual(sortedStrings(api.data.customers.map((customer) => customer.id)));
}

/** The error's text as a person would see it. */
function shown(error: PullPushError): string {
  return `${error.message}\n${error.hint ?? ''}\n${JSON.stringify(error.issues)}`;
}

function expectRefused(error: PullPushError, secrets: string[]): void {
  expect(['ENGINE_HTTP_STATUS', 'ENGINE_AUTH']).toContain(error.code);
  for (const secret of secrets) {
    expect(shown(error)).not.toContain(secret);
    expect(shown(error)).not.toContain(encodeURIComponent(secret));
  }
}

describe('static credentials', () => {
  const cases: Array<{ name: string; server: TestApiOptions['auth']; auth: Json; properties: Record<string, { secret?: boolean }>; config: Json; wrong: Json; secrets: (config: Json) => string[]; sent: (api: TestApi) => unknown }> = [
    {
      name: 'apiKey in a header',
      server: { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'key-header-7d1f' },
      auth: { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: '{{ $config.apiKey }}' },
      properties: { apiKey: { secret: true } },
      config: { apiKey: 'key-header-7d1f' },
      wrong: { apiKey: 'wrong-header-key-5a' },
      secrets: (config) => [config['apiKey'] as string],
      sent: (api) => api.requests[0]?.headers['x-api-key'],
    },
    {
      // A parameter name the URL redactor does not know as credential-like: only the secret itself hides it.
      name: 'apiKey in the query',
      server: { kind: 'apiKey', in: 'query', name: 'credential', value: 'key-query-93be' },
      auth: { kind: 'apiKey', in: 'query', name: 'credential', value: '{{ $config.apiKey }}' },
      properties: { apiKey: { secret: true } },
      config: { apiKey: 'key-query-93be' },
      wrong: { apiKey: 'wrong-query-key-17' },
      secrets: (config) => [config['apiKey'] as string],
      sent: (api) => api.requests[0]?.query['credential'],
    },
    {
      name: 'bearer',
      server: { kind: 'bearer', token: 'tok-bearer-44c2' },
      auth: { kind: 'bearer', token: '{{ $config.token }}' },
      properties: { token: { secret: true } },
      config: { token: 'tok-bearer-44c2' },
      wrong: { token: 'tok-wrong-0000' },
      secrets: (config) => [config['token'] as string],
      sent: (api) => api.requests[0]?.headers['authorization'],
    },
    {
      name: 'basic',
      server: { kind: 'basic', username: 'ops@acme.example', password: 'pw-basic-6e0a' },
      auth: { kind: 'basic', username: '{{ $config.username }}', password: '{{ $config.password }}' },
      properties: { username: {}, password: { secret: true } },
      config: { username: 'ops@acme.example', password: 'pw-basic-6e0a' },
      wrong: { username: 'ops@acme.example', password: 'pw-wrong-3b9d' },
      secrets: (config) => [config['password'] as string, Buffer.from(`${String(config['username'])}:${String(config['password'])}`).toString('base64')],
      sent: (api) => api.requests[0]?.headers['authorization'],
    },
    {
      name: 'custom headers',
      server: { kind: 'headers', headers: { 'X-Client-Id': 'client-8c1', 'X-Client-Secret': 'hdr-secret-52f7' } },
      auth: { kind: 'headers', headers: { 'X-Client-Id': '{{ $config.clientId }}', 'X-Client-Secret': '{{ $config.clientSecret }}' } },
      properties: { clientId: {}, clientSecret: { secret: true } },
      config: { clientId: 'client-8c1', clientSecret: 'hdr-secret-52f7' },
      wrong: { clientId: 'client-8c1', clientSecret: 'hdr-wrong-c0de' },
      secrets: (config) => [config['clientSecret'] as string],
      sent: (api) => [api.requests[0]?.headers['x-client-id'], api.requests[0]?.headers['x-client-secret']],
    },
  ];

  it.each(cases)('$name: reads every page with the credentials the API expects', async ({ server, auth, properties, config, sent }) => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth, properties), config);
    await readsEverything(api, connector);
    expect(api.count({ status: 401 })).toBe(0);
    expect(api.count()).toBe(3);
    const expected = {
      apiKey: server?.kind === 'apiKey' ? server.value : undefined,
      bearer: server?.kind === 'bearer' ? `Bearer ${server.token}` : undefined,
      basic: server?.kind === 'basic' ? `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}` : undefined,
      headers: server?.kind === 'headers' ? Object.values(server.headers) : undefined,
    }[server?.kind as 'apiKey' | 'bearer' | 'basic' | 'headers'];
    expect(sent(api)).toEqual(expected);
  });

  it.each(cases)('$name: wrong credentials end in a coded error without the secret', async ({ server, auth, properties, wrong, secrets }) => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth, properties), wrong);
    const error = await readError(connector.read('customers'));
    expectRefused(error, secrets(wrong));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(error.message).toContain('401');
    // A 401 with static credentials is not retried: nothing a retry could change.
    expect(api.count()).toBe(1);
    const checked = await rejection(connector.check());
    expectRefused(checked, secrets(wrong));
  });
});

describe('oauth2ClientCredentials', () => {
  const server = { kind: 'oauth2ClientCredentials' as const, clientId: 'cid-1f0e', clientSecret: 'csecret-a7b3c9', scopes: ['read'] };
  const properties = { clientId: {}, clientSecret: { secret: true } };
  const auth = (clientAuth: 'body' | 'basic') => ({ kind: 'oauth2ClientCredentials', tokenUrl: '/oauth/token', clientId: '{{ $config.clientId }}', clientSecret: '{{ $config.clientSecret }}', clientAuth, scopes: ['read'] });

  it.each(['body', 'basic'] as const)('fetches one token (client auth in the %s) and reuses it across pages and reads', async (clientAuth) => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth(clientAuth), properties), { clientId: 'cid-1f0e', clientSecret: 'csecret-a7b3c9' });
    await readsEverything(api, connector);
    await readsEverything(api, connector);
    expect(api.tokenRequests).toBe(1);
    const token = api.requests.find((request) => request.path === '/oauth/token');
    expect(token?.method).toBe('POST');
    const form = new URLSearchParams(token?.body ?? '');
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('read');
    if (clientAuth === 'basic') {
      expect(form.get('client_secret')).toBeNull();
      expect(token?.headers['authorization']).toBe(`Basic ${Buffer.from('cid-1f0e:csecret-a7b3c9').toString('base64')}`);
    } else expect(form.get('client_secret')).toBe('csecret-a7b3c9');
    const bearers = new Set(api.requests.filter((request) => request.path !== '/oauth/token').map((request) => request.headers['authorization']));
    expect(bearers.size).toBe(1);
    expect([...bearers][0]).toMatch(/^Bearer at_/);
  });

  it('after expireTokens(), the 401 makes exactly one more token request and the read goes on', async () => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth('body'), properties), { clientId: 'cid-1f0e', clientSecret: 'csecret-a7b3c9' });
    await readsEverything(api, connector);
    expect(api.tokenRequests).toBe(1);
    api.expireTokens();
    await readsEverything(api, connector);
    expect(api.tokenRequests).toBe(2);
    expect(api.count({ status: 401 })).toBe(1);
    // The 401'd page was sent again with the new token, not skipped.
    const afterRefresh = api.requests.filter((request) => request.path === '/cursor/customers').slice(3);
    expect(afterRefresh.map((request) => request.status)).toEqual([401, 200, 200, 200]);
    expect(afterRefresh[0]?.headers['authorization']).not.toBe(afterRefresh[1]?.headers['authorization']);
  });

  it('a token that keeps being refused is refreshed once, then the read fails (no refresh loop)', async () => {
    const api = await serve({ ...server, maxUses: 0 });
    const connector = await connect(api, withAuth(auth('body'), properties), { clientId: 'cid-1f0e', clientSecret: 'csecret-a7b3c9' });
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(api.tokenRequests).toBe(2);
    expect(api.count({ path: '/cursor/customers' })).toBe(2);
  });

  it('a wrong client secret is ENGINE_AUTH, without the secret', async () => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth('body'), properties), { clientId: 'cid-1f0e', clientSecret: 'csecret-wrong-d00d' });
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_AUTH');
    expect(error.message).toContain('invalid_client');
    expectRefused(error, ['csecret-wrong-d00d']);
    expect(api.count({ path: '/cursor/customers' })).toBe(0);
  });
});

describe('oauth2RefreshToken with rotation', () => {
  const initial = 'rt-initial-5c8e2a';
  const server = { kind: 'oauth2RefreshToken', clientId: 'cid-r', clientSecret: 'csecret-r-41d9', refreshToken: initial, rotate: true } as const;
  const properties = { clientId: {}, clientSecret: { secret: true }, refreshToken: { secret: true } };
  const auth = {
    kind: 'oauth2RefreshToken',
    tokenUrl: '/oauth/token',
    clientId: '{{ $config.clientId }}',
    clientSecret: '{{ $config.clientSecret }}',
    refreshToken: '{{ $config.refreshToken }}',
    rotation: { configKey: 'refreshToken' },
  };

  it('writes each rotated refresh token back through onConfigUpdate; the old one stops working', async () => {
    const api = await serve(server);
    const updates: Array<[string, string]> = [];
    const config = { clientId: 'cid-r', clientSecret: 'csecret-r-41d9', refreshToken: initial };
    const connector = await connect(api, withAuth(auth, properties), config, { onConfigUpdate: (key, value) => void updates.push([key, value]) });
    await readsEverything(api, connector);
    expect(api.tokenRequests).toBe(1);
    expect(new URLSearchParams(api.requests[0]?.body ?? '').get('refresh_token')).toBe(initial);
    expect(updates).toHaveLength(1);
    const [key, rotated] = updates[0] as [string, string];
    expect(key).toBe('refreshToken');
    expect(rotated).not.toBe(initial);
    expect(rotated).toBe(api.refreshToken);

    // The next refresh (after the access token expired) uses the rotated token, and rotates again.
    api.expireTokens();
    await readsEverything(api, connector);
    expect(api.tokenRequests).toBe(2);
    const refreshes = api.requests.filter((request) => request.path === '/oauth/token').map((request) => new URLSearchParams(request.body ?? '').get('refresh_token'));
    expect(refreshes).toEqual([initial, rotated]);
    expect(updates.map(([, value]) => value)).toEqual([rotated, api.refreshToken]);

    // The original refresh token was used up: a connection still holding it is refused, without showing it.
    const stale = await connect(api, withAuth(auth, properties), config);
    const error = await readError(stale.read('customers'));
    expect(error.code).toBe('ENGINE_AUTH');
    expect(error.message).toContain('invalid_grant');
    expectRefused(error, [initial, 'csecret-r-41d9']);

    // The connection that persisted the latest token works.
    const current = await connect(api, withAuth(auth, properties), { ...config, refreshToken: api.refreshToken as string });
    await readsEverything(api, current);
  });

  it('rotated refresh tokens and access tokens are redacted like config secrets', async () => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth, properties), { clientId: 'cid-r', clientSecret: 'csecret-r-41d9', refreshToken: initial });
    await readsEverything(api, connector);
    const rotated = api.refreshToken as string;
    const access = (api.requests.find((request) => request.path === '/cursor/customers')?.headers['authorization'] ?? '').replace(/^Bearer /, '');
    expect(access).toMatch(/^at_/);
    expect(connector.redact(`refresh ${rotated} access ${access}`)).toBe('refresh *** access ***');
  });
});

describe('session login', () => {
  const server = { kind: 'session', username: 'ops', password: 'pw-session-9f2e', header: 'X-Session-Token' } as const;
  const properties = { username: {}, password: { secret: true } };
  const auth = {
    kind: 'session',
    login: { method: 'POST', path: '/session', body: { username: '{{ $config.username }}', password: '{{ $config.password }}' } },
    tokenPath: 'token',
    expiresInPath: 'expires_in',
    inject: { in: 'header', name: 'X-Session-Token' },
  };

  it('logs in once and injects the token in the configured header', async () => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth, properties), { username: 'ops', password: 'pw-session-9f2e' });
    await readsEverything(api, connector);
    expect(api.tokenRequests).toBe(1);
    const [login, ...reads] = api.requests;
    expect(login?.method).toBe('POST');
    expect(login?.path).toBe('/session');
    expect(JSON.parse(login?.body ?? '{}')).toEqual({ username: 'ops', password: 'pw-session-9f2e' });
    expect(reads).toHaveLength(3);
    expect(new Set(reads.map((request) => request.headers['x-session-token'])).size).toBe(1);
    expect(reads[0]?.headers['x-session-token']).toMatch(/^st_/);
    expect(reads.every((request) => request.headers['authorization'] === undefined)).toBe(true);
  });

  it('reads the token and its lifetime with JSONata, not by splitting on dots', async () => {
    const api = await serve(server);
    const jsonata = { ...auth, tokenPath: "$string(token) & ''", expiresInPath: '$number(expires_in) * 1' };
    const connector = await connect(api, withAuth(jsonata, properties), { username: 'ops', password: 'pw-session-9f2e' });
    await readsEverything(api, connector);
    expect(api.tokenRequests).toBe(1);
  });

  it('logs in again once after the session expired', async () => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth, properties), { username: 'ops', password: 'pw-session-9f2e' });
    await readsEverything(api, connector);
    api.expireTokens();
    const messages = await collect(connector.read('customers'));
    expect(ofType(messages, 'raw')).toHaveLength(12);
    expect(api.tokenRequests).toBe(2);
  });

  it('a wrong password is ENGINE_AUTH, without the password', async () => {
    const api = await serve(server);
    const connector = await connect(api, withAuth(auth, properties), { username: 'ops', password: 'pw-wrong-e11a' });
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_AUTH');
    expectRefused(error, ['pw-wrong-e11a']);
    expect(api.count({ path: '/cursor/customers' })).toBe(0);
  });
});
