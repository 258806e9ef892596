// Every fault kind is observable from a client, scoping (route, method, times, every, after) works, and the rate
// limit answers 429 with Retry-After.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type Fault, type TestApi, type TestApiOptions } from '../src/index.ts';
import { nextLink, request, walk } from './helpers.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(options: TestApiOptions): Promise<TestApi> {
  api = await startTestApi({ seed: 2, ...options });
  return api;
}

async function withFaults(...faults: Fault[]): Promise<TestApi> {
  return start({ faults });
}

describe('status', () => {
  it('answers the status a limited number of times, with Retry-After, then serves normally', async () => {
    const server = await withFaults({ kind: 'status', status: 503, retryAfter: 2, times: 2, route: '/cursor/orders' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await request(server, '/cursor/orders');
      statuses.push(response.status);
      if (i === 0) {
        expect(response.headers.get('retry-after')).toBe('2');
        expect(response.body).toMatchObject({ error: { code: 'injected_fault' } });
      }
    }
    expect(statuses).toEqual([503, 503, 200]);
    expect((await request(server, '/cursor-header/orders')).status).toBe(200);
    expect(server.requests.map((r) => r.fault ?? null)).toEqual(['status', 'status', null, null]);
  });

  it('scopes by prefix at segment boundaries, by method, every N-th request and after the first N', async () => {
    const server = await withFaults(
      { kind: 'status', status: 500, route: '/offset', every: 3 },
      { kind: 'status', status: 502, route: '/page/', after: 2 },
      { kind: 'status', status: 418, method: 'POST', route: '/search' },
    );
    const offsets = [];
    for (let i = 0; i < 6; i++) offsets.push((await request(server, '/offset/orders')).status);
    expect(offsets).toEqual([200, 200, 500, 200, 200, 500]);
    const pages = [];
    for (let i = 0; i < 4; i++) pages.push((await request(server, `/page/${i % 2 === 0 ? 'orders' : 'contacts'}`)).status);
    expect(pages).toEqual([200, 200, 502, 502]);
    expect((await request(server, '/search/orders', { method: 'POST', body: '{}' })).status).toBe(418);
    expect((await request(server, '/cursor/orders')).status).toBe(200);
  });

  it('restarts counting after setFaults', async () => {
    const server = await withFaults({ kind: 'status', status: 500, times: 1 });
    expect((await request(server, '/cursor/orders')).status).toBe(500);
    expect((await request(server, '/cursor/orders')).status).toBe(200);
    server.setFaults([{ kind: 'status', status: 500, times: 1 }]);
    expect((await request(server, '/cursor/orders')).status).toBe(500);
    server.setFaults([]);
    expect((await request(server, '/cursor/orders')).status).toBe(200);
  });
});

describe('connection faults', () => {
  it('timeout: never answers until the client gives up', async () => {
    const server = await withFaults({ kind: 'timeout', times: 1 });
    await expect(fetch(`${server.url}/cursor/orders`, { signal: AbortSignal.timeout(150) })).rejects.toThrow(/timeout|aborted/i);
    expect(server.requests[0]).toMatchObject({ status: 0, fault: 'timeout' });
    expect((await request(server, '/cursor/orders')).status).toBe(200);
  });

  it('timeout in the body phase: headers arrive, the body never ends', async () => {
    const server = await withFaults({ kind: 'timeout', phase: 'body' });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/cursor/orders`, { signal: controller.signal });
    expect(response.status).toBe(200);
    setTimeout(() => controller.abort(), 150);
    await expect(response.text()).rejects.toThrow();
  });

  it('reset: the connection is destroyed without an answer', async () => {
    const server = await withFaults({ kind: 'reset', times: 1 });
    await expect(fetch(`${server.url}/cursor/orders`)).rejects.toThrow(TypeError);
    expect((await request(server, '/cursor/orders')).status).toBe(200);
  });

  it('reset after serving: a write is applied, then the connection drops before the answer', async () => {
    const server = await withFaults({ kind: 'reset', phase: 'response', method: 'POST', times: 1 });
    const before = server.data.contacts.length;
    const post = () => fetch(`${server.url}/contacts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'applied@example.org' }) });
    await expect(post()).rejects.toThrow(TypeError);
    expect(server.data.contacts.length).toBe(before + 1);
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', fault: 'reset', status: 201 });
    expect((await post()).status).toBe(409);
  });

  it('redirect: 302 to the cloud metadata address by default, or anywhere', async () => {
    const server = await withFaults({ kind: 'redirect', times: 1 }, { kind: 'redirect', location: 'http://localhost:1/', status: 307 });
    const first = await fetch(`${server.url}/cursor/orders`, { redirect: 'manual' });
    expect([first.status, first.headers.get('location')]).toEqual([302, 'http://169.254.169.254/latest/meta-data/']);
    const second = await fetch(`${server.url}/cursor/orders`, { redirect: 'manual' });
    expect([second.status, second.headers.get('location')]).toEqual([307, 'http://localhost:1/']);
  });
});

describe('body faults', () => {
  it('slowBody: the real body, in chunks with pauses', async () => {
    const server = await withFaults({ kind: 'slowBody', chunkBytes: 400, delayMs: 40, times: 1 });
    const started = performance.now();
    const slow = await request(server, '/cursor/orders?limit=2');
    const elapsed = performance.now() - started;
    const normal = await request(server, '/cursor/orders?limit=2');
    expect(slow.text).toBe(normal.text);
    const pauses = Math.ceil(Buffer.byteLength(normal.text) / 400) - 1;
    expect(elapsed).toBeGreaterThanOrEqual(pauses * 40 - 10);
  });

  it('truncatedJson: a complete response whose JSON is cut, or a connection dropped mid-body', async () => {
    const server = await withFaults({ kind: 'truncatedJson', times: 1 }, { kind: 'truncatedJson', keepBytes: 10, abort: true, times: 1 });
    const cut = await fetch(`${server.url}/all/locations`);
    const cutText = await cut.text();
    expect(Number(cut.headers.get('content-length'))).toBe(Buffer.byteLength(cutText));
    expect(() => JSON.parse(cutText)).toThrow(SyntaxError);
    await expect(fetch(`${server.url}/all/locations`).then((response) => response.text())).rejects.toThrow(/terminated/);
    const whole = await (await fetch(`${server.url}/all/locations`)).text();
    expect(cutText).toBe(whole.slice(0, Math.floor(whole.length / 2)));
  });

  it('malformedJson: 200, a JSON content type, a body that does not parse', async () => {
    const server = await withFaults({ kind: 'malformedJson' });
    const response = await fetch(`${server.url}/cursor/orders`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('hugeBody: streams megabytes of valid JSON without buffering, chunked or with Content-Length', async () => {
    const server = await withFaults({ kind: 'hugeBody', megabytes: 4, times: 1 }, { kind: 'hugeBody', megabytes: 0.1, declareLength: true });
    const response = await fetch(`${server.url}/cursor/orders`);
    expect(response.headers.get('content-length')).toBeNull();
    let bytes = 0;
    let tail = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      tail = Buffer.from(chunk).toString('utf8').slice(-2);
    }
    expect(bytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    expect(bytes).toBeLessThan(4 * 1024 * 1024 + 2048);
    expect(tail).toBe(']}');
    const small = await fetch(`${server.url}/cursor/orders`);
    const text = await small.text();
    expect(Number(small.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect((JSON.parse(text) as { data: unknown[] }).data.length).toBeGreaterThan(90);
  });
});

describe('pagination faults', () => {
  it('foreignNextLink: next links and next URLs point at another host', async () => {
    const server = await withFaults({ kind: 'foreignNextLink', route: '/repos', origin: 'http://localhost:1' }, { kind: 'foreignNextLink' });
    const link = await request(server, '/link/orders?per_page=5');
    expect(nextLink(link.headers.get('link'))).toBe('http://evil.example/link/orders?per_page=5&page=2');
    expect(link.headers.get('link')).toContain(`<${server.url}/link/orders?per_page=5&page=12>; rel="last"`);
    const next = await request<{ next: string }>(server, '/next-url/orders?limit=5');
    expect(next.body.next).toMatch(/^http:\/\/evil\.example\/next-url\/orders\?limit=5&page_token=/);
    const github = await request(server, '/repos/acme/web/issues?state=all&per_page=2');
    expect(nextLink(github.headers.get('link'))).toMatch(/^http:\/\/localhost:1\/repos\/acme\/web\/issues\?/);
  });

  it('endlessCursor: the same next cursor, link or URL, again and again', async () => {
    const server = await withFaults({ kind: 'endlessCursor' });
    const first = await request<{ data: { id: number }[]; next_cursor: string; has_more: boolean }>(server, '/cursor/orders?limit=5');
    const second = await request<typeof first.body>(server, `/cursor/orders?limit=5&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual(first.body);
    const header = await request(server, `/cursor-header/orders?limit=5&cursor=${first.body.next_cursor}`);
    expect(header.headers.get('x-next-cursor')).toBe(first.body.next_cursor);
    const page2 = await request(server, '/link/orders?per_page=5&page=2');
    expect(nextLink(page2.headers.get('link'))).toBe(`${server.url}/link/orders?per_page=5&page=2`);
    const url = await request<{ next: string }>(server, '/next-url/orders?limit=5');
    expect((await request<{ next: string }>(server, url.body.next)).body.next).toBe(url.body.next);
    const offset = await request<{ total: number }>(server, '/offset/orders?offset=500&limit=5');
    expect(offset.body.total).toBeGreaterThan(505);
    const slack = await request<{ response_metadata: { next_cursor: string } }>(server, '/api/users.list?limit=3');
    const again = await request<typeof slack.body>(server, `/api/users.list?limit=3&cursor=${encodeURIComponent(slack.body.response_metadata.next_cursor)}`);
    expect(again.body.response_metadata.next_cursor).toBe(slack.body.response_metadata.next_cursor);
    const stripe = await request<{ data: { id: string }[]; has_more: boolean }>(server, '/v1/customers?limit=3');
    const stripeAgain = await request<typeof stripe.body>(server, `/v1/customers?limit=3&starting_after=${stripe.body.data.at(-1)?.id}`);
    expect(stripeAgain.body).toEqual(stripe.body);
    expect(stripe.body.has_more).toBe(true);
  });
});

describe('trailingEmptyPage', () => {
  it('points on from the last page to one empty page that points nowhere, in every pointer style', async () => {
    const server = await withFaults({ kind: 'trailingEmptyPage' });
    const total = server.data.orders.length;
    const pages = Math.ceil(total / 20);
    const walked = await walk(server, 'cursor', 'orders', 20);
    expect([walked.records.length, walked.pages]).toEqual([total, pages + 1]);
    for (const style of ['cursor-header', 'next-url', 'link'] as const) {
      const { records, pages: served } = await walk(server, style, 'orders', 20);
      expect([records.length, served], style).toEqual([total, pages + 1]);
    }
    // The last real page says there is more; the page after it is empty and says there is not.
    const last = await request<{ data: unknown[]; next_cursor: string | null; has_more: boolean }>(server, `/cursor/orders?limit=${total}`);
    expect([last.body.data.length, last.body.has_more]).toEqual([total, true]);
    const empty = await request<typeof last.body>(server, `/cursor/orders?limit=${total}&cursor=${last.body.next_cursor}`);
    expect(empty.body).toEqual({ data: [], next_cursor: null, has_more: false });
    // An empty list has no trailing page.
    expect((await request<{ has_more: boolean }>(server, '/cursor/orders?currency=XXX')).body.has_more).toBe(false);
    // Offsets and page numbers carry no pointer: their totals are unchanged.
    expect((await request<{ total: number }>(server, '/offset/orders')).body.total).toBe(total);
  });

  it('does the same on the Slack, Stripe, GitHub and shop-style routes', async () => {
    const server = await withFaults({ kind: 'trailingEmptyPage' });
    const slack = await request<{ members: unknown[]; response_metadata: { next_cursor: string } }>(server, '/api/users.list');
    expect(slack.body.members).toHaveLength(server.data.users.length);
    expect(slack.body.response_metadata.next_cursor).not.toBe('');
    const slackEmpty = await request<typeof slack.body>(server, `/api/users.list?cursor=${encodeURIComponent(slack.body.response_metadata.next_cursor)}`);
    expect([slackEmpty.body.members, slackEmpty.body.response_metadata.next_cursor]).toEqual([[], '']);
    const stripe = await request<{ data: { id: string }[]; has_more: boolean }>(server, '/v1/customers?limit=100');
    expect(stripe.body.has_more).toBe(true);
    const stripeEmpty = await request<typeof stripe.body>(server, `/v1/customers?limit=100&starting_after=${stripe.body.data.at(-1)?.id}`);
    expect([stripeEmpty.body.data, stripeEmpty.body.has_more]).toEqual([[], false]);
    const github = await request<unknown[]>(server, '/repos/acme/web/issues?state=all&per_page=100');
    const githubNext = nextLink(github.headers.get('link')) as string;
    expect(githubNext).toBe(`${server.url}/repos/acme/web/issues?state=all&per_page=100&page=2`);
    const githubEmpty = await request<unknown[]>(server, githubNext);
    expect([githubEmpty.body, nextLink(githubEmpty.headers.get('link'))]).toEqual([[], undefined]);
    const shop = await request<{ customers: unknown[]; next_cursor: string | null }>(server, '/customers?limit=250');
    const shopEmpty = await request<typeof shop.body>(server, `/customers?limit=250&cursor=${shop.body.next_cursor}`);
    expect([shop.body.customers.length, shopEmpty.body.customers, shopEmpty.body.next_cursor]).toEqual([server.data.customers.length, [], null]);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and RateLimit-* beyond the budget, then recovers', async () => {
    const server = await start({ rateLimit: { requests: 3, perSeconds: 1 }, auth: { kind: 'oauth2ClientCredentials', clientId: 'c', clientSecret: 's' } });
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=c&client_secret=s' };
    const { access_token } = (await request<{ access_token: string }>(server, '/oauth/token', form)).body;
    const headers = { authorization: `Bearer ${access_token}` };
    const remaining = [];
    for (let i = 0; i < 3; i++) remaining.push((await request(server, '/cursor/orders', { headers })).headers.get('ratelimit-remaining'));
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await request<{ error: { code: string } }>(server, '/cursor/orders', { headers });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    // The token endpoint is outside the budget.
    expect((await request(server, '/oauth/token', form)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Number(limited.headers.get('retry-after')) * 1000 + 50));
    expect((await request(server, '/cursor/orders', { headers })).status).toBe(200);
  });

  it('offers GitHub-style X-RateLimit-* headers and API-shaped 429 bodies', async () => {
    const server = await start({ rateLimit: { requests: 1, perSeconds: 60, headers: 'x-ratelimit' } });
    const ok = await request(server, '/api/users.list');
    expect(ok.headers.get('x-ratelimit-limit')).toBe('1');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(ok.headers.get('ratelimit-remaining')).toBeNull();
    const limited = await request(server, '/api/users.list');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(50);
    server.setRateLimit(undefined);
    expect((await request(server, '/api/users.list')).status).toBe(200);
  });
});
