// Response filters act as the definition says: the first filter whose status and body condition match decides
// (ignore, fail with its own message, retry, rateLimited, refreshAuth), and retries are bounded.
import { describe, expect, it } from 'vitest';
import { compileConnector, type Connector } from '../src/index.ts';
import { collect, definition, FAST_RETRY, local, ofType, readError, type Fault, type TestApi, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const apis = useTestApis();

const PATH = '/cursor/customers';

async function setup(faults: Fault[], responseFilters: Json[], extra: Json = {}): Promise<{ api: TestApi; connector: Connector }> {
  const api = await apis.serve({ seed: 23, dataset: { customers: 8 }, faults });
  const doc = definition(
    {
      customers: {
        request: { path: PATH },
        records: { path: 'data' },
        primaryKey: ['id'],
        pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'query', name: 'cursor' }, pageSize: { param: { in: 'query', name: 'limit' }, value: 100 } },
      },
    },
    { responseFilters, ...extra },
  );
  const connector = await compileConnector(doc, {}, local(api));
  apis.keep(connector);
  return { api, connector };
}

describe('response filters', () => {
  it('retry: sends again after a matching status, and the read succeeds', async () => {
    const { api, connector } = await setup([{ kind: 'status', status: 409, route: PATH, times: 2 }], [{ status: [409], action: 'retry' }]);
    const messages = await collect(connector.readNative('customers'));
    expect(ofType(messages, 'raw')).toHaveLength(8);
    expect(api.count({ path: PATH })).toBe(3);
  });

  it('retry is bounded by retry.maxAttempts, then fails with the filter message', async () => {
    const { api, connector } = await setup([{ kind: 'status', status: 409, route: PATH }], [{ status: [409], action: 'retry', message: 'the shop is reindexing' }]);
    const error = await readError(connector.readNative('customers'));
    expect(error).toMatchObject({ code: 'ENGINE_HTTP_STATUS', message: expect.stringContaining('the shop is reindexing') });
    expect(api.count({ path: PATH })).toBe(3);
  });

  it('rateLimited: waits as Retry-After says, then succeeds', async () => {
    const { api, connector } = await setup([{ kind: 'status', status: 420, retryAfter: 0, route: PATH, times: 1 }], [{ status: [420], action: 'rateLimited' }]);
    expect(ofType(await collect(connector.readNative('customers')), 'raw')).toHaveLength(8);
    expect(api.count({ path: PATH })).toBe(2);
  });

  it('ignore: a matching response is an empty page, and the read ends normally', async () => {
    const { connector } = await setup([{ kind: 'status', status: 404, route: PATH }], [{ status: [404], action: 'ignore' }]);
    const messages = await collect(connector.readNative('customers'));
    expect(ofType(messages, 'raw')).toEqual([]);
    expect(ofType(messages, 'end')).toEqual([expect.objectContaining({ reason: 'exhausted' })]);
  });

  it('fail on a body condition of a 200, with the message of the filter that matched (not of an earlier one)', async () => {
    const { connector } = await setup(
      [{ kind: 'status', status: 200, body: { ok: false, error: 'account_inactive' }, route: PATH }],
      [
        { status: [200], bodyMatches: "error = 'ratelimited'", action: 'fail', message: 'rate limited' },
        { status: [200], bodyMatches: 'ok = false', action: 'fail', message: 'the account is inactive' },
      ],
    );
    const error = await readError(connector.readNative('customers'));
    expect(error.message).toContain('the account is inactive');
    expect(error.message).not.toContain('rate limited');
  });

  it('a filter whose body condition does not match leaves the response alone', async () => {
    const { connector } = await setup([], [{ status: [200], bodyMatches: 'ok = false', action: 'fail' }]);
    expect(ofType(await collect(connector.readNative('customers')), 'raw')).toHaveLength(8);
  });
});

describe('retries have one owner, the HTTP client', () => {
  it('a rateLimited filter sends at most retry.maxAttempts requests, never maxAttempts squared', async () => {
    const { api, connector } = await setup([{ kind: 'status', status: 429, retryAfter: 0, route: PATH }], [{ status: [429], action: 'rateLimited' }]);
    const error = await readError(connector.readNative('customers'));
    expect(error.code).toBe('ENGINE_HTTP_STATUS');
    expect(error.hint).toContain('3 attempts');
    expect(api.count({ path: PATH })).toBe(3);
  });

  it('Retry-After as an HTTP date is honoured', async () => {
    const at = new Date(Date.now() + 1500).toUTCString();
    const { api, connector } = await setup([{ kind: 'status', status: 503, retryAfter: at, route: PATH, times: 1 }], [{ status: [503], action: 'rateLimited' }], {
      retry: { ...FAST_RETRY, maxDelayMs: 5000 },
    });
    expect(ofType(await collect(connector.readNative('customers')), 'raw')).toHaveLength(8);
    const [first, second] = api.requests.filter((request) => request.path === PATH);
    // At least most of the wait the date asks for (the date has whole seconds; the clock may tick between).
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(400);
  });

  it('a 200 whose body says "ratelimited" (Slack-style) is retried, and succeeds', async () => {
    const { api, connector } = await setup(
      [{ kind: 'status', status: 200, body: { ok: false, error: 'ratelimited' }, route: PATH, times: 1 }],
      [{ bodyMatches: "error = 'ratelimited'", action: 'rateLimited' }],
    );
    expect(ofType(await collect(connector.readNative('customers')), 'raw')).toHaveLength(8);
    expect(api.count({ path: PATH })).toBe(2);
  });

  it('a 403 with nothing left in the rate-limit window (GitHub\'s secondary limit) is retried without a filter', async () => {
    const { api, connector } = await setup([{ kind: 'status', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }, route: PATH, times: 1 }], []);
    expect(ofType(await collect(connector.readNative('customers')), 'raw')).toHaveLength(8);
    expect(api.count({ path: PATH })).toBe(2);
  });
});
