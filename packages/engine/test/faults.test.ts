// How reads survive (or fail clearly on) misbehaving APIs: 5xx bursts and 429s are retried with backoff and
// Retry-After, declared budgets keep the API from ever answering 429, hanging requests time out, broken bodies are
// coded errors naming the redacted URL, resets are retried and slow bodies are read whole.
import { setTimeout as sleep } from 'node:timers/promises';
import { PullPushError } from '@pullpush/canonical';
import { describe, expect, it } from 'vitest';
import { RateLimiter, compileConnector, type Connector, type ConnectorOptions } from '../src/index.ts';
import { FAST_RETRY, collect, collectUntilError, definition, local, ofType, readError, remoteIds, sortedStrings, type Fault, type TestApi, type TestApiOptions, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const apis = useTestApis();

async function serve(options: TestApiOptions = {}): Promise<TestApi> {
  const api = await apis.serve({ seed: 17, dataset: { customers: 12 }, ...options });
  return api;
}

const SECRET = 'fault-key-3e9d41';
const PATH = '/cursor/customers';

/** Customers in pages of 5, with an API key in the query under a name only the secret itself reveals. */
function customers(extra: Json = {}, pageSize = 5): Json {
  return definition(
    {
      customers: {
        request: { path: PATH },
        records: { path: 'data' },
        primaryKey: ['id'],
        pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'query', name: 'cursor' }, pageSize: { param: { in: 'query', name: 'limit' }, value: pageSize } },
      },
    },
    {
      config: { type: 'object', properties: { apiKey: { type: 'string', secret: true } } },
      auth: { kind: 'apiKey', in: 'query', name: 'credential', value: '{{ $config.apiKey }}' },
      ...extra,
    },
  );
}

async function serveWithKey(options: TestApiOptions = {}): Promise<TestApi> {
  return serve({ auth: { kind: 'apiKey', in: 'query', name: 'credential', value: SECRET }, ...options });
}

async function connect(api: TestApi, def: Json, options: ConnectorOptions = {}): Promise<Connector> {
  const connector = await compileConnector(def, { apiKey: SECRET }, local(api, options));
  apis.keep(connector);
  return connector;
}

function expectAllCustomers(api: TestApi, messages: Awaited<ReturnType<typeof collect>>): void {
  const ids = remoteIds(messages);
  expect(ids.sort()).toEqual(sortedStrings(api.data.customers.map((customer) => customer.id)));
}

const statuses = (api: TestApi) => api.requests.map((request) => request.status);
const gaps = (api: TestApi) => api.requests.slice(1).map((request, index) => request.at - (api.requests[index]?.at ?? 0));

describe('retries', () => {
  it('a burst of two 503s is retried and the read succeeds; the page reports its attempts', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'status', status: 503, route: PATH, times: 2 }] });
    const connector = await connect(api, customers());
    const messages = await collect(connector.read('customers'));
    expectAllCustomers(api, messages);
    expect(ofType(messages, 'page').map((page) => page.attempts)).toEqual([3, 1, 1]);
    expect(statuses(api)).toEqual([503, 503, 200, 200, 200]);
    expect(connector.requestCount).toBe(5);
  });

  it('a burst longer than maxAttempts ends in ENGINE_HTTP_STATUS after exactly maxAttempts', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'status', status: 502, route: PATH }] });
    const connector = await connect(api, customers());
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(error.message).toContain('502');
    expect(error.message).toContain('injected fault');
    expect(api.count()).toBe(FAST_RETRY.maxAttempts);
  });

  it('a status that is not retryable is not retried', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'status', status: 404, route: PATH }] });
    const connector = await connect(api, customers());
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(error.hint).toContain('request path');
    expect(api.count()).toBe(1);
  });

  it('429 with Retry-After waits as long as the API says', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'status', status: 429, retryAfter: 1, route: PATH, times: 1, after: 1 }] });
    const connector = await connect(api, customers({ retry: { ...FAST_RETRY, maxDelayMs: 5_000 } }));
    const messages = await collect(connector.read('customers'));
    expectAllCustomers(api, messages);
    expect(statuses(api)).toEqual([200, 429, 200, 200]);
    const wait = gaps(api)[1] as number;
    expect(wait).toBeGreaterThanOrEqual(950);
    expect(wait).toBeLessThan(3_000);
  });

  it('a Retry-After beyond maxDelayMs is capped', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'status', status: 503, retryAfter: 3_600, route: PATH, times: 1 }] });
    const connector = await connect(api, customers({ retry: { ...FAST_RETRY, maxDelayMs: 200 } }));
    expectAllCustomers(api, await collect(connector.read('customers')));
    const wait = gaps(api)[0] as number;
    expect(wait).toBeGreaterThanOrEqual(150);
    expect(wait).toBeLessThan(1_500);
  });

  it('a reset connection is retried', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'reset', route: PATH, times: 1, after: 1 }] });
    const connector = await connect(api, customers());
    const messages = await collect(connector.read('customers'));
    expectAllCustomers(api, messages);
    expect(ofType(messages, 'page').map((page) => page.attempts)).toEqual([1, 2, 1]);
    expect(api.requests[1]?.fault).toBe('reset');
  });

  it('connections reset on every attempt end in ENGINE_NETWORK without the secret', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'reset', route: PATH }] });
    const connector = await connect(api, customers());
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_NETWORK');
    expect(error.message).not.toContain(SECRET);
    expect(api.count()).toBe(FAST_RETRY.maxAttempts);
  });
});

describe('rate limits', () => {
  // 12 customers in pages of 2: 6 requests against a budget of 3 per second.
  const limit = { requests: 3, perSeconds: 1 };

  it('a declared budget equal to the API limit means the API never answers 429', async () => {
    const api = await serveWithKey({ rateLimit: { ...limit, headers: 'ratelimit' } });
    const def = customers({ rateLimits: { budgets: [limit], headers: 'none' } }, 2);
    const connector = await connect(api, def);
    const started = Date.now();
    const messages = await collect(connector.read('customers'));
    expectAllCustomers(api, messages);
    expect(api.count({ status: 429 })).toBe(0);
    expect(api.count()).toBe(6);
    // Three per second: the fourth request waited for the window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('without a declared budget, RateLimit-* headers pause the engine before it runs out', async () => {
    const api = await serveWithKey({ rateLimit: { ...limit, headers: 'ratelimit' } });
    const connector = await connect(api, customers({}, 2));
    expectAllCustomers(api, await collect(connector.read('customers')));
    expect(api.count({ status: 429 })).toBe(0);
    expect(api.count()).toBe(6);
  });
});

describe('the rate limiter', () => {
  it('counts a request in its budget from when its answer came, not from when it was sent', async () => {
    // The API counts a request when it arrives, which may be well after it was sent (a first request opens the
    // connection). Counted from the answer, the next window's request cannot land in the API's current window.
    const limiter = new RateLimiter({ budgets: [{ requests: 2, perSeconds: 0.3 }] });
    const first = await limiter.acquire();
    await sleep(120); // the first request is slow to be answered
    first();
    const answered = Date.now();
    (await limiter.acquire())();
    const started = Date.now();
    (await limiter.acquire())();
    expect(Date.now() - answered).toBeGreaterThanOrEqual(295);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe('timeouts', () => {
  it('a request that never answers ends in ENGINE_TIMEOUT after maxAttempts, naming the redacted URL', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'timeout', route: PATH }] });
    const connector = await connect(api, customers({ retry: { ...FAST_RETRY, maxAttempts: 2 } }), { timeoutMs: 150 });
    const started = Date.now();
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_TIMEOUT');
    expect(error.message).toContain(PATH);
    expect(error.message).toContain('credential=***');
    expect(error.message).not.toContain(SECRET);
    expect(api.count()).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('timed-out attempts are abandoned: they hold no connection or rate-limit slot afterwards', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'timeout', route: PATH, times: 2 }] });
    const connector = await connect(api, customers({ retry: { ...FAST_RETRY, maxAttempts: 2 }, rateLimits: { maxConcurrency: 1 } }), { timeoutMs: 300 });
    expect((await readError(connector.read('customers'))).code).toBe('ENGINE_TIMEOUT');
    // With one request in flight at most, a stuck attempt would block this read for ever.
    expectAllCustomers(api, await collect(connector.read('customers')));
    // Nor do they keep the connector from closing (the suite closes it again afterwards: harmless).
    await connector.close();
  });

  it('a body that stalls after the headers ends in ENGINE_TIMEOUT too', { timeout: 10_000 }, async () => {
    const api = await serveWithKey({ faults: [{ kind: 'timeout', phase: 'body', route: PATH }] });
    const connector = await connect(api, customers({ retry: { ...FAST_RETRY, maxAttempts: 2 } }), { timeoutMs: 200 });
    const started = Date.now();
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_TIMEOUT');
    expect(error.message).not.toContain(SECRET);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a slow body (small chunks with pauses) is still read whole', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'slowBody', chunkBytes: 512, delayMs: 15, route: PATH }] });
    const connector = await connect(api, customers({}, 12), { timeoutMs: 2_000 });
    const messages = await collect(connector.read('customers'));
    expectAllCustomers(api, messages);
    expect(ofType(messages, 'page')[0]?.elapsedMs).toBeGreaterThanOrEqual(30);
    expect(raw(messages)).toEqual(JSON.parse(JSON.stringify([...api.data.customers].sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id))));
  });
});

function raw(messages: Awaited<ReturnType<typeof collect>>): unknown[] {
  return ofType(messages, 'raw').map((message) => message.record);
}

describe('bodies that do not parse', () => {
  const cases: Array<[string, Fault]> = [
    ['truncated JSON', { kind: 'truncatedJson', route: PATH, after: 1 }],
    ['malformed JSON', { kind: 'malformedJson', route: PATH, after: 1 }],
  ];

  it.each(cases)('%s: ENGINE_INVALID_BODY naming the redacted URL, after the pages before it', async (_name, fault) => {
    const api = await serveWithKey({ faults: [fault] });
    const connector = await connect(api, customers());
    const { messages, error } = await collectUntilError(connector.read('customers'));
    expect(error).toBeInstanceOf(PullPushError);
    const coded = error as PullPushError;
    expect(coded.code).toBe('ENGINE_INVALID_BODY');
    expect(coded.message).toContain(`${api.url}${PATH}?`);
    expect(coded.message).toContain('credential=***');
    expect(coded.message).not.toContain(SECRET);
    expect(remoteIds(messages)).toHaveLength(5);
    // A body that does not parse is not an empty page: the stream did not end, and its cursor did not move.
    expect(ofType(messages, 'end')).toEqual([]);
  });

  it('a body cut off by a dropped connection is retried like a reset', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'truncatedJson', abort: true, route: PATH, times: 1 }] });
    const connector = await connect(api, customers());
    const messages = await collect(connector.read('customers'));
    expectAllCustomers(api, messages);
    expect(ofType(messages, 'page')[0]?.attempts).toBe(2);
  });

  it('a body always cut off by a dropped connection ends in ENGINE_NETWORK', async () => {
    const api = await serveWithKey({ faults: [{ kind: 'truncatedJson', abort: true, route: PATH }] });
    const connector = await connect(api, customers());
    const error = await readError(connector.read('customers'));
    expect(error.code).toBe('ENGINE_NETWORK');
    expect(error.message).not.toContain(SECRET);
    expect(api.count()).toBe(FAST_RETRY.maxAttempts);
  });
});

describe('cancellation', () => {
  it("a read whose signal is aborted mid-request ends with the signal's AbortError, not a network error", async () => {
    const api = await serveWithKey({ faults: [{ kind: 'timeout', route: PATH, times: 1 }] });
    const connector = await connect(api, customers());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error } = await collectUntilError(connector.read('customers', { signal: controller.signal }));
    expect((error as Error).name).toBe('AbortError');
    expect(error).not.toBeInstanceOf(PullPushError);
  });
});
