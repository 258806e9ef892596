// The engine's security boundary, attacked one bound at a time with testkit's hostile faults: foreign next links
// and redirects, private addresses, plain http, enormous bodies, endless cursors, secrets outside auth, writes in
// read-only runs, and a canary secret that must never come out of the engine in any text.
import { PullPushError } from '@pullpush/canonical';
import { describe, expect, it } from 'vitest';
import { compileConnector, renderTestReport, testConnector, type Connector, type ConnectorOptions } from '../src/index.ts';
import { LOCAL, collect, collectUntilError, definition, local, ofType, readError, rejection, remoteIds, type Fault, type TestApi, type TestApiOptions, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const apis = useTestApis();

async function serve(options: TestApiOptions = {}): Promise<TestApi> {
  const api = await apis.serve({ seed: 13, dataset: { customers: 12 }, ...options });
  return api;
}

async function connect(def: Json, config: Json, options: ConnectorOptions): Promise<Connector> {
  const connector = await compileConnector(def, config, options);
  apis.keep(connector);
  return connector;
}

const query = (name: string) => ({ in: 'query', name });
const paged = {
  cursor: { path: '/cursor/customers', records: 'data', pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: 5 } } },
  cursorHeader: { path: '/cursor-header/customers', pagination: { kind: 'cursor', cursor: { from: 'header', path: 'X-Next-Cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: 5 } } },
  link: { path: '/link/customers', pagination: { kind: 'link', pageSize: { param: query('per_page'), value: 5 } } },
  nextUrl: { path: '/next-url/customers', records: 'records', pagination: { kind: 'nextUrl', path: 'next', pageSize: { param: query('limit'), value: 5 } } },
  offset: { path: '/offset/customers', records: 'items', pagination: { kind: 'offset', offsetParam: query('offset'), limitParam: query('limit'), limit: 5, total: { from: 'body', path: 'total' } } },
  page: { path: '/page/customers', records: 'results', pagination: { kind: 'page', pageParam: query('page'), pageSize: { param: query('per_page'), value: 5 }, totalPages: { from: 'body', path: 'total_pages' } } },
} as const;
type Kind = keyof typeof paged;

function stream(kind: Kind): Json {
  const spec = paged[kind] as { path: string; records?: string; pagination: Json };
  return { request: { path: spec.path }, ...(spec.records ? { records: { path: spec.records } } : {}), primaryKey: ['id'], pagination: spec.pagination };
}

describe('next pages and redirects stay on the API host', () => {
  it.each(['link', 'nextUrl'] as const)('%s: a next page on another host is refused, and nothing reaches that host', async (kind) => {
    const other = await serve();
    const api = await serve({ faults: [{ kind: 'foreignNextLink', origin: other.url }] });
    const connector = await connect(definition({ customers: stream(kind) }), {}, local(api));
    const { messages, error } = await collectUntilError(connector.read('customers'));
    expect(error).toBeInstanceOf(PullPushError);
    expect((error as PullPushError).code).toBe('ENGINE_HOST_NOT_ALLOWED');
    // The first page was read; its next page on the other host was never requested.
    expect(remoteIds(messages)).toHaveLength(5);
    expect(api.count()).toBe(1);
    expect(other.count()).toBe(0);
  });

  it('a redirect to the cloud metadata address is refused before any connection', async () => {
    const api = await serve({ faults: [{ kind: 'redirect', route: '/cursor' }] });
    const connector = await connect(definition({ customers: stream('cursor') }), {}, local(api));
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_REDIRECT_REFUSED');
    expect(error.message).toContain('169.254.169.254');
    expect(api.count()).toBe(1);
  });

  it('a redirect to another local server is refused; credentials never follow it', async () => {
    const other = await serve();
    const api = await serve({ auth: { kind: 'bearer', token: 'tok-redirect-1' }, faults: [{ kind: 'redirect', route: '/cursor', location: `${other.url}/cursor/customers`, status: 307 }] });
    const def = definition({ customers: stream('cursor') }, { auth: { kind: 'bearer', token: '{{ $config.token }}' }, config: { type: 'object', properties: { token: { type: 'string', secret: true } } } });
    const connector = await connect(def, { token: 'tok-redirect-1' }, local(api));
    expect((await readError(connector.read('customers'))).code).toBe('ENGINE_REDIRECT_REFUSED');
    expect(other.count()).toBe(0);
  });

  it('same-host redirects are followed, a bounded number of times', async () => {
    const api = await serve({ faults: [{ kind: 'redirect', route: '/cursor', location: '/cursor/customers?limit=5', times: 1 }] });
    const connector = await connect(definition({ customers: stream('cursor') }), {}, local(api));
    expect(remoteIds(await collect(connector.read('customers')))).toHaveLength(12);

    const looping = await serve({ faults: [{ kind: 'redirect', route: '/cursor', location: '/cursor/customers?limit=5' }] });
    const again = await connect(definition({ customers: stream('cursor') }), {}, local(looping));
    const error = await readError(again.read('customers'));
    expect(error.code).toBe('ENGINE_REDIRECT_REFUSED');
    expect(looping.count()).toBe(6);
  });
});

describe('addresses and schemes', () => {
  it('a base URL on loopback is refused without allowPrivateNetwork, before any request', async () => {
    const api = await serve();
    const connector = await connect(definition({ customers: stream('cursor') }), {}, { allowInsecureHttp: true, baseUrl: api.url });
    expect((await readError(connector.read('customers'))).code).toBe('ENGINE_PRIVATE_ADDRESS');
    expect(api.count()).toBe(0);
  });

  it('a host name that resolves to loopback is refused at DNS lookup, before any request', async () => {
    const api = await serve();
    const connector = await connect(definition({ customers: stream('cursor') }), {}, { allowInsecureHttp: true, baseUrl: `http://localhost:${api.port}` });
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_PRIVATE_ADDRESS');
    expect(api.count()).toBe(0);
  });

  it("'loopback' does not open other private ranges", async () => {
    const connector = await connect(definition({ customers: stream('cursor') }), {}, { ...LOCAL, baseUrl: 'http://10.0.0.1:9' });
    expect((await readError(connector.read('customers'))).code).toBe('ENGINE_PRIVATE_ADDRESS');
    const metadata = await connect(definition({ customers: stream('cursor') }), {}, { ...LOCAL, baseUrl: 'http://169.254.169.254' });
    expect((await readError(metadata.read('customers'))).code).toBe('ENGINE_PRIVATE_ADDRESS');
  });

  it('plain http is refused without allowInsecureHttp, before any request', async () => {
    const api = await serve();
    const connector = await connect(definition({ customers: stream('cursor') }), {}, { allowPrivateNetwork: 'loopback', baseUrl: api.url });
    expect((await readError(connector.read('customers'))).code).toBe('ENGINE_INSECURE_URL');
    expect(api.count()).toBe(0);
  });

  it('a definition cannot declare an http base URL itself', async () => {
    const def = definition({ customers: stream('cursor') }, { http: { baseUrl: 'http://api.example.test' } });
    const error = await rejection(compileConnector(def, {}, { allowPrivateNetwork: 'loopback' }));
    expect(error.code).toBe('ENGINE_INVALID_DEFINITION');
    expect(error.issues.map((issue) => issue.rule)).toContain('DSL_INSECURE_BASE_URL');
  });
});

describe('bounded bodies and loops', () => {
  it.each([false, true])('a 64 MB body is cut at maxResponseBytes (declared length: %s) without filling memory', async (declareLength) => {
    const api = await serve({ faults: [{ kind: 'hugeBody', megabytes: 64, declareLength, route: '/cursor' }] });
    const connector = await connect(definition({ customers: stream('cursor') }), {}, local(api, { maxResponseBytes: 1024 * 1024 }));
    const used = () => {
      const memory = process.memoryUsage();
      return memory.heapUsed + memory.arrayBuffers;
    };
    const baseline = used();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, used());
    }, 2);
    const started = Date.now();
    try {
      const error = await readError(connector.read('customers'));
      expect(error.code).toBe('ENGINE_RESPONSE_TOO_LARGE');
      expect(error.message).toContain(String(1024 * 1024));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, used());
    expect(peak - baseline).toBeLessThan(40 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(5000);
    // Not retried: a larger answer would not be smaller the second time.
    expect(api.count()).toBe(1);
  });

  it.each(['cursor', 'cursorHeader', 'link', 'nextUrl'] as const)('%s: an endless cursor stops with ENGINE_PAGINATION_LOOP', async (kind) => {
    const api = await serve({ faults: [{ kind: 'endlessCursor' }] });
    const connector = await connect(definition({ customers: stream(kind) }), {}, local(api));
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_PAGINATION_LOOP');
    expect(api.count()).toBe(2);
  });

  it.each(['offset', 'page'] as const)('%s: an API that always claims more stops at maxPages', async (kind) => {
    const api = await serve({ faults: [{ kind: 'endlessCursor' }] });
    const connector = await connect(definition({ customers: stream(kind) }), {}, local(api));
    const messages = await collect(connector.read('customers', { limits: { maxPages: 6 } }));
    expect(ofType(messages, 'page')).toHaveLength(6);
    expect(ofType(messages, 'end')).toMatchObject([{ type: 'end', stream: 'customers', partition: '', pages: 6, reason: 'page-limit' }]);
    expect(api.count()).toBe(6);
  });

  it('maxPages bounds an ordinary read too, and maxRecords ends it early', async () => {
    const api = await serve();
    const connector = await connect(definition({ customers: stream('cursor') }), {}, local(api));
    const limited = await collect(connector.read('customers', { limits: { maxPages: 2 } }));
    expect(remoteIds(limited)).toHaveLength(10);
    expect(ofType(limited, 'end')[0]?.reason).toBe('page-limit');
    api.resetRequests();
    const few = await collect(connector.read('customers', { limits: { maxRecords: 3 } }));
    expect(remoteIds(few)).toHaveLength(3);
    expect(ofType(few, 'end')[0]?.reason).toBe('record-limit');
    expect(api.count()).toBe(1);
  });
});

describe('secrets stay in auth', () => {
  const secretConfig = { type: 'object', properties: { apiKey: { type: 'string', secret: true } } };
  const auth = { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: '{{ $config.apiKey }}' };

  it.each([
    ['a stream query parameter', { request: { path: '/cursor/customers', query: { key: '{{ $config.apiKey }}' } } }, {}],
    ['a stream path', { request: { path: '/cursor/{{ $config.apiKey }}' } }, {}],
    ['a stream header', { request: { path: '/cursor/customers', headers: { 'X-Debug': '{{ $config.apiKey }}' } } }, {}],
    ['a default query parameter', { request: { path: '/cursor/customers' } }, { http: { baseUrl: 'https://api.example.test', query: { api_key: '{{ $config.apiKey }}' } } }],
  ])('a secret in %s is refused by compileConnector', async (_where, streamSpec, extra) => {
    const api = await serve();
    const def = definition({ customers: { primaryKey: ['id'], records: { path: 'data' }, ...streamSpec } }, { auth, config: secretConfig, ...extra });
    const error = await rejection(compileConnector(def, { apiKey: 'canary-secret-in-query' }, local(api)));
    expect(error.code).toBe('ENGINE_INVALID_DEFINITION');
    expect(error.issues.map((issue) => issue.rule)).toContain('DSL_SECRET_OUTSIDE_AUTH');
    expect(`${error.message} ${JSON.stringify(error.issues)}`).not.toContain('canary-secret-in-query');
    expect(api.count()).toBe(0);
  });

  it('a secret mapped into records is refused too', async () => {
    const def = definition(
      { customers: { request: { path: '/cursor/customers' }, records: { path: 'data' }, primaryKey: ['id'], mapping: { fields: {}, custom: { key: { expr: '$config.apiKey' } } } } },
      { auth, config: secretConfig },
    );
    const error = await rejection(compileConnector(def, { apiKey: 'canary-secret-mapped' }, LOCAL));
    expect(error.code).toBe('ENGINE_INVALID_DEFINITION');
    expect(error.issues.map((issue) => issue.rule)).toContain('DSL_SECRET_OUTSIDE_AUTH');
  });
});

describe('read-only mode', () => {
  const search = {
    request: { method: 'POST', path: '/search/customers', search: true, body: { filters: [] } },
    records: { path: 'results' },
    primaryKey: ['id'],
    pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'body', name: 'cursor' }, pageSize: { param: { in: 'body', name: 'limit' }, value: 5 } },
  };

  it('a POST stream not marked as a search never compiles', async () => {
    const api = await serve();
    const def = definition({ customers: { ...search, request: { method: 'POST', path: '/customers', body: { email: 'x@example.com' } } } });
    for (const readOnly of [true, false]) {
      const error = await rejection(compileConnector(def, {}, local(api, { readOnly })));
      expect(error.code).toBe('ENGINE_INVALID_DEFINITION');
      expect(error.issues).toContainEqual(expect.objectContaining({ pointer: '/streams/customers/request/search', rule: 'DSL_PAGINATION_INCOHERENT' }));
    }
    expect(api.count()).toBe(0);
  });

  it('refuses a login that is not a POST (ENGINE_READ_ONLY), before sending it', async () => {
    const api = await serve({ auth: { kind: 'session', username: 'ops', password: 'pw-ro-1234' } });
    const def = definition(
      { customers: stream('cursor') },
      {
        config: { type: 'object', properties: { password: { type: 'string', secret: true } } },
        auth: { kind: 'session', login: { method: 'PUT', path: '/session', body: { username: 'ops', password: '{{ $config.password }}' } }, tokenPath: 'token', inject: { in: 'header', name: 'X-Session-Token' } },
      },
    );
    const connector = await connect(def, { password: 'pw-ro-1234' }, local(api, { readOnly: true }));
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_READ_ONLY');
    expect(api.count()).toBe(0);
    const report = await testConnector(def, { password: 'pw-ro-1234' }, local(api));
    expect(report.verdict).toBe('fail');
    expect(report.auth.error?.code).toBe('ENGINE_READ_ONLY');
    expect(api.count()).toBe(0);
  });

  it('testConnector sends nothing but GET, token POSTs and search POSTs', async () => {
    const api = await serve({ auth: { kind: 'oauth2ClientCredentials', clientId: 'ro-client', clientSecret: 'ro-secret-77aa' } });
    const def = definition(
      { customers: stream('cursor'), search, link: stream('link'), offset: stream('offset') },
      {
        config: { type: 'object', properties: { clientSecret: { type: 'string', secret: true } } },
        auth: { kind: 'oauth2ClientCredentials', tokenUrl: '/oauth/token', clientId: 'ro-client', clientSecret: '{{ $config.clientSecret }}' },
        check: { stream: 'customers' },
      },
    );
    const report = await testConnector(def, { clientSecret: 'ro-secret-77aa' }, local(api));
    expect(report.verdict).toBe('pass');
    expect(report.streams.map((stream) => [stream.stream, stream.records])).toEqual([
      ['customers', 12],
      ['search', 12],
      ['link', 12],
      ['offset', 12],
    ]);
    expect(api.count()).toBeGreaterThan(8);
    for (const request of api.requests) {
      const allowed = request.method === 'GET' || request.method === 'HEAD' || (request.method === 'POST' && (request.path === '/oauth/token' || request.path === '/search/customers'));
      expect(allowed, `${request.method} ${request.path}`).toBe(true);
    }
  });
});

describe('a canary secret never leaves the engine', () => {
  const CANARY = 'canary-9f3b1c7e-secret';
  // In the query, under a name the URL redactor does not know: only the engine's knowledge of the secret hides it.
  const def = (extra: Json = {}) =>
    definition(
      { customers: { ...stream('cursor'), incremental: { cursorField: 'updated_at', format: 'iso8601', param: query('updated_since') } }, linked: stream('link') },
      {
        config: { type: 'object', properties: { apiKey: { type: 'string', secret: true } } },
        auth: { kind: 'apiKey', in: 'query', name: 'credential', value: '{{ $config.apiKey }}' },
        retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 2, jitter: false },
        ...extra,
      },
    );
  const serveCanary = (faults: Fault[] = []) => serve({ auth: { kind: 'apiKey', in: 'query', name: 'credential', value: CANARY }, faults });

  function expectClean(text: string): void {
    // Not even a part of it: a cut secret is no longer recognisable to a redactor.
    for (let start = 0; start + 10 <= CANARY.length; start += 1) expect(text).not.toContain(CANARY.slice(start, start + 10));
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(encodeURIComponent(CANARY));
    expect(text).not.toContain(Buffer.from(CANARY).toString('base64'));
  }

  function errorText(error: unknown): string {
    expect(error).toBeInstanceOf(PullPushError);
    const coded = error as PullPushError;
    return [coded.message, coded.hint ?? '', JSON.stringify(coded.issues), JSON.stringify(coded)].join('\n');
  }

  it('successful reads: no message carries it, though every request did', async () => {
    const api = await serveCanary();
    const connector = await connect(def(), { apiKey: CANARY }, local(api));
    const messages = [...(await collect(connector.read('customers'))), ...(await collect(connector.read('linked')))];
    expect(remoteIds(messages)).toHaveLength(24);
    expect(api.requests.every((request) => request.query['credential'] === CANARY)).toBe(true);
    expectClean(JSON.stringify(messages));
    const urls = ofType(messages, 'page').map((page) => page.url);
    expect(urls.every((url) => url.includes('credential=***'))).toBe(true);
    expect(connector.redact(`the key is ${CANARY}`)).toBe('the key is ***');
  });

  const failures: Array<[string, Fault[], string, ConnectorOptions?]> = [
    ['a 401 that echoes the key', [{ kind: 'status', status: 401, body: { error: `invalid credential ${CANARY}` } }], 'ENGINE_HTTP_STATUS'],
    ['a burst of 500s that echo the key', [{ kind: 'status', status: 500, body: { error: { message: `upstream failed for credential=${CANARY}` } } }], 'ENGINE_HTTP_STATUS'],
    ['a timeout', [{ kind: 'timeout' }], 'ENGINE_TIMEOUT', { timeoutMs: 150 }],
    ['a connection reset', [{ kind: 'reset' }], 'ENGINE_NETWORK'],
    ['a body that is not JSON and echoes the key', [{ kind: 'malformedJson', body: `credential ${CANARY} is not valid here` }], 'ENGINE_INVALID_BODY'],
    ['a body that is not JSON and starts with the key', [{ kind: 'malformedJson', body: `{"echo": ${CANARY}}` }], 'ENGINE_INVALID_BODY'],
    ['an error body with the key across the snippet cut', [{ kind: 'status', status: 400, body: { error: `${'x'.repeat(275)} ${CANARY}` } }], 'ENGINE_HTTP_STATUS'],
    ['a truncated body', [{ kind: 'truncatedJson' }], 'ENGINE_INVALID_BODY'],
    ['a redirect that carries the key', [{ kind: 'redirect', location: `http://169.254.169.254/latest/meta-data/?leak=${CANARY}` }], 'ENGINE_REDIRECT_REFUSED'],
    ['a foreign next link (same query, key included)', [{ kind: 'foreignNextLink', origin: 'http://evil.example' }], 'ENGINE_HOST_NOT_ALLOWED'],
    ['an endless cursor', [{ kind: 'endlessCursor' }], 'ENGINE_PAGINATION_LOOP'],
    ['a huge body', [{ kind: 'hugeBody', megabytes: 2 }], 'ENGINE_RESPONSE_TOO_LARGE', { maxResponseBytes: 64 * 1024 }],
  ];

  it.each(failures)('%s: the error and the messages before it are clean', async (_name, faults, code, options = {}) => {
    const api = await serveCanary(faults);
    const connector = await connect(def(), { apiKey: CANARY }, local(api, options));
    const stream = faults[0]?.kind === 'foreignNextLink' ? 'linked' : 'customers';
    const { messages, error } = await collectUntilError(connector.read(stream));
    expect((error as PullPushError).code).toBe(code);
    expectClean(errorText(error));
    expectClean(JSON.stringify(messages));
    // The check reads the first page only: faults that hit later pages let it pass.
    const checked = await connector.check().then(() => undefined, (failure: unknown) => failure);
    if (checked !== undefined) expectClean(errorText(checked));
  });

  it('wrong config and test reports are clean too', async () => {
    const strict = def({ config: { type: 'object', properties: { apiKey: { type: 'string', secret: true, pattern: '^sk_[a-z]+$', maxLength: 10 } } } });
    const invalid = await rejection(compileConnector(strict, { apiKey: CANARY }, LOCAL));
    expect(invalid.code).toBe('ENGINE_INVALID_CONFIG');
    expectClean(errorText(invalid));

    const api = await serveCanary();
    const good = await testConnector(def(), { apiKey: CANARY }, local(api));
    expect(good.verdict).not.toBe('fail');
    expectClean(JSON.stringify(good));
    expectClean(renderTestReport(good));

    // Failing runs: auth refused (with the key echoed), then a stream that fails after the check passed.
    api.setFaults([{ kind: 'status', status: 401, body: { error: `bad ${CANARY}` } }]);
    const refused = await testConnector(def(), { apiKey: CANARY }, local(api));
    expect(refused.verdict).toBe('fail');
    expect(refused.auth.ok).toBe(false);
    expectClean(JSON.stringify(refused));
    expectClean(renderTestReport(refused));

    api.setFaults([{ kind: 'status', status: 500, route: '/link', body: { echo: CANARY } }, { kind: 'malformedJson', route: '/cursor', after: 1, body: `<html>${CANARY}</html>` }]);
    const broken = await testConnector(def(), { apiKey: CANARY }, local(api));
    expect(broken.verdict).toBe('fail');
    expect(broken.streams.map((stream) => stream.error?.code)).toEqual(['ENGINE_INVALID_BODY', 'ENGINE_HTTP_STATUS']);
    expectClean(JSON.stringify(broken));
    expectClean(renderTestReport(broken));
  });
});
