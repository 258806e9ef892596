// The switches that make the generic collections page like other real APIs: a lower page-size cap, totals in
// headers, numbers typed as strings, and bare arrays paged by the last item's id (/after).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../src/index.ts';
import { byUpdate, request, walk } from './helpers.ts';

let api: TestApi;
let plain: TestApi;
beforeAll(async () => {
  [api, plain] = await Promise.all([
    startTestApi({ seed: 3, dataset: { orders: 95 }, pagination: { maxPageSize: 20, totalHeaders: true, numbersAsStrings: true } }),
    startTestApi({ seed: 3, dataset: { orders: 95, users: 17 } }),
  ]);
});
afterAll(() => Promise.all([api.close(), plain.close()]));

describe('pagination options', () => {
  it('clamps page sizes to maxPageSize silently; the body says what was served', async () => {
    const offset = await request<{ items: unknown[]; limit: string }>(api, '/offset/orders?limit=50');
    expect([offset.status, offset.body.items.length, offset.body.limit]).toEqual([200, 20, '20']);
    for (const path of ['/cursor/orders?limit=1000', '/next-url/orders?limit=21', '/after/orders?limit=99']) {
      const response = await request<unknown[] | { data: unknown[] } | { records: unknown[] }>(api, path);
      const served = Array.isArray(response.body) ? response.body : 'data' in response.body ? response.body.data : response.body.records;
      expect(served, path).toHaveLength(20);
    }
    expect((await request<unknown[]>(api, '/link/orders?per_page=100')).body).toHaveLength(20);
    expect((await request<{ data: unknown[] }>(api, '/cursor/orders')).body.data).toHaveLength(10);
    const tiny = await startTestApi({ pagination: { maxPageSize: 4 } });
    try {
      expect((await request<{ data: unknown[] }>(tiny, '/cursor/orders')).body.data).toHaveLength(4);
    } finally {
      await tiny.close();
    }
    await expect(startTestApi({ pagination: { maxPageSize: 0 } })).rejects.toThrow(RangeError);
  });

  it('sends X-Total-Count and X-Total-Pages on /offset and /page, keeping the bodies', async () => {
    const offset = await request(api, '/offset/orders?offset=20&limit=20');
    expect([offset.headers.get('x-total-count'), offset.headers.get('x-total-pages')]).toEqual(['95', '5']);
    const page = await request(api, '/page/orders?page=2&per_page=7');
    expect([page.headers.get('x-total-count'), page.headers.get('x-total-pages')]).toEqual(['95', '14']);
    const off = await request(plain, '/offset/orders');
    expect([off.headers.get('x-total-count'), off.headers.get('x-total-pages')]).toEqual([null, null]);
  });

  it('types total, offset, limit, page, per_page and total_pages as strings when asked', async () => {
    const offset = await request<Record<string, unknown>>(api, '/offset/orders?offset=40&limit=20');
    expect(offset.body).toMatchObject({ total: '95', offset: '40', limit: '20' });
    const page = await request<Record<string, unknown>>(api, '/page/orders?page=3&per_page=7');
    expect(page.body).toMatchObject({ total: '95', page: '3', per_page: '7', total_pages: '14' });
    expect((page.body['results'] as unknown[]).length).toBe(7);
    expect((await request<Record<string, unknown>>(plain, '/offset/orders')).body).toMatchObject({ total: 95, offset: 0, limit: 10 });
  });

  it('still walks every record in every style under the options', async () => {
    const expected = [...api.data.orders].sort(byUpdate).map((order) => order.id);
    for (const style of ['cursor', 'cursor-header', 'link', 'next-url'] as const) {
      expect((await walk(api, style, 'orders', 20)).records.map((order) => order.id), style).toEqual(expected);
    }
  });
});

describe('GET /after/{resource}: bare arrays paged by the last id', () => {
  /** Follows the last item's id until an empty page, as a client of such an API must. */
  async function walkIds(target: TestApi, path: string, param: 'after' | 'before', limit: number, extra = ''): Promise<(number | string)[]> {
    const seen: (number | string)[] = [];
    let last: number | string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const query = `limit=${limit}${last === undefined ? '' : `&${param}=${encodeURIComponent(String(last))}`}${extra}`;
      const page = await request<{ id: number | string }[]>(target, `${path}?${query}`);
      expect(page.status, page.text).toBe(200);
      if (page.body.length === 0) return seen;
      seen.push(...page.body.map((record) => record.id));
      last = page.body.at(-1)?.id;
    }
    throw new Error('more than 100 pages');
  }

  it('walks by after=<last id> in ascending id order, with no paging metadata at all', async () => {
    const page = await request<unknown[]>(plain, '/after/orders?limit=7');
    expect(Array.isArray(page.body)).toBe(true);
    for (const header of ['link', 'x-next-cursor', 'x-total-count', 'x-total-pages']) expect(page.headers.get(header), header).toBeNull();
    const ids = plain.data.orders.map((order) => order.id).sort((a, b) => a - b);
    expect(await walkIds(plain, '/after/orders', 'after', 7)).toEqual(ids);
    expect(await walkIds(plain, '/after/orders', 'before', 9, `&before=${(ids.at(-1) as number) + 1}`)).toEqual([...ids].reverse());
  });

  it('walks backwards by before=<last id>, largest first, and takes both bounds as a range', async () => {
    const ids = plain.data.orders.map((order) => order.id).sort((a, b) => a - b);
    const older = await request<{ id: number }[]>(plain, `/after/orders?before=${ids[50]}&limit=5`);
    expect(older.body.map((order) => order.id)).toEqual(ids.slice(45, 50).reverse());
    const between = await request<{ id: number }[]>(plain, `/after/orders?after=${ids[10]}&before=${ids[14]}`);
    expect(between.body.map((order) => order.id)).toEqual(ids.slice(11, 14));
  });

  it('compares string ids as text, filters like every list, and refuses non-numeric ids of numeric collections', async () => {
    const users = plain.data.users.map((user) => user.id).sort();
    expect(await walkIds(plain, '/after/users', 'after', 4)).toEqual(users);
    const usd = await walkIds(plain, '/after/orders', 'after', 5, '&currency=USD');
    expect(usd).toEqual(plain.data.orders.filter((order) => order.currency === 'USD').map((order) => order.id).sort((a, b) => a - b));
    const customer = plain.data.customers.find((c) => c.orders_count >= 2);
    expect(await walkIds(plain, `/after/customers/${customer?.id}/orders`, 'after', 1)).toHaveLength(customer?.orders_count ?? -1);
    const bad = await request<{ error: { code: string } }>(plain, '/after/orders?after=abc');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_parameter']);
  });
});
