// The README's quick example, verbatim except for the import path (readme.test.ts keeps the two equal).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../src/index.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    seed: 1,
    dataset: { orders: 250 },
    auth: { kind: 'bearer', token: 't0ken' },
    faults: [{ kind: 'status', status: 503, retryAfter: 1, route: '/cursor/orders', times: 1 }],
  });
});
afterAll(() => api.close());

it('reads every order page by page, retrying the injected 503', async () => {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (;;) {
    const query = cursor === null ? '' : `&cursor=${cursor}`;
    const response = await fetch(`${api.url}/cursor/orders?limit=100${query}`, { headers: { authorization: 'Bearer t0ken' } });
    if (response.status === 503) continue; // Retry-After: 1 (a real client would wait)
    const page = (await response.json()) as { data: { id: number }[]; next_cursor: string | null };
    ids.push(...page.data.map((order) => order.id));
    if (page.next_cursor === null) break;
    cursor = page.next_cursor;
  }
  expect(ids.sort()).toEqual(api.data.orders.map((order) => order.id).sort());
  expect(api.count({ path: '/cursor/orders' })).toBe(4); // one 503, then three pages
});
