// Every pagination style walks every record exactly once, in (updated_at, id) order, with filters applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../src/index.ts';
import { byUpdate, request, STYLES, walk } from './helpers.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 3, dataset: { orders: 95, contacts: 23, products: 12 } });
});
afterAll(() => api.close());

function ids(records: { id: number | string }[]): (number | string)[] {
  return records.map((record) => record.id);
}

describe.each(STYLES)('/%s/{resource}', (style) => {
  it.each(['orders', 'contacts', 'stock_levels', 'users'] as const)('walks all %s exactly once, oldest change first', async (resource) => {
    const expected = [...api.data[resource]].sort(byUpdate);
    const { records, pages } = await walk(api, style, resource, 7);
    expect(ids(records)).toEqual(ids(expected));
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 7)));
  });

  it('walks a nested collection (the comments of a ticket, the orders of a customer)', async () => {
    const ticket = api.data.tickets.find((t) => t.comments_count >= 2);
    expect(ticket).toBeDefined();
    const { records } = await walk(api, style, `tickets/${ticket?.id}/comments`, 1);
    expect(ids(records)).toEqual(ids(api.data.comments.filter((c) => c.ticket_id === ticket?.id).sort(byUpdate)));
    const customer = api.data.customers.find((c) => c.orders_count >= 3);
    const orders = await walk(api, style, `customers/${customer?.id}/orders`, 2);
    expect(orders.records).toHaveLength(customer?.orders_count ?? -1);
  });

  it('filters by updated_since (inclusive) and by field=value', async () => {
    const sorted = [...api.data.orders].sort(byUpdate);
    const since = (sorted[40] as { updated_at: string }).updated_at;
    const { records } = await walk(api, style, 'orders', 9, `updated_since=${encodeURIComponent(since)}`);
    expect(ids(records)).toEqual(ids(sorted.filter((order) => Date.parse(order.updated_at) >= Date.parse(since))));
    const usd = await walk(api, style, 'orders', 5, 'currency=USD');
    expect(ids(usd.records)).toEqual(ids(sorted.filter((order) => order.currency === 'USD')));
  });
});

describe('page sizes and parameters', () => {
  it('defaults to 10 per page and caps at 100', async () => {
    const first = await request<{ data: unknown[] }>(api, '/cursor/orders');
    expect(first.body.data).toHaveLength(10);
    const capped = await request<{ items: unknown[]; limit: number }>(api, '/offset/orders?limit=1000');
    expect(capped.body.items).toHaveLength(95);
    expect(capped.body.limit).toBe(100);
  });

  it('answers 400 for bad parameters and unknown cursors, 404 for unknown collections', async () => {
    for (const path of ['/cursor/orders?limit=0', '/offset/orders?offset=-1', '/page/orders?page=abc', '/cursor/orders?cursor=bm9wZQ', '/cursor/orders?updated_since=yesterday']) {
      const response = await request<{ error: { code: string } }>(api, path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.code).toMatch(/^invalid_/);
    }
    for (const path of ['/cursor/unicorns', '/link/tickets/1/unicorns', '/page/tickets/99999999/comments', '/orders/1']) {
      expect((await request(api, path)).status, path).toBe(404);
    }
  });

  it('serves offsets and page numbers past the end as empty pages', async () => {
    expect((await request<{ items: unknown[]; total: number }>(api, '/offset/orders?offset=500')).body).toMatchObject({ items: [], total: 95 });
    expect((await request<{ results: unknown[]; total_pages: number }>(api, '/page/orders?page=99')).body).toMatchObject({ results: [], total_pages: 10 });
  });

  it('sends first/prev/next/last links and X-Total-Count on /link', async () => {
    const response = await request(api, '/link/orders?per_page=10&page=3&currency=EUR');
    const link = response.headers.get('link') ?? '';
    for (const rel of ['first', 'prev', 'next', 'last']) expect(link).toContain(`rel="${rel}"`);
    expect(link).toContain(`<${api.url}/link/orders?per_page=10&page=4&currency=EUR>; rel="next"`);
    expect(Number(response.headers.get('x-total-count'))).toBe(api.data.orders.filter((o) => o.currency === 'EUR').length);
  });

  it('gives relative next URLs, or absolute ones with absolute=true, keeping the other parameters', async () => {
    const relative = await request<{ next: string }>(api, '/next-url/orders?limit=3&currency=EUR');
    expect(relative.body.next).toMatch(/^\/next-url\/orders\?limit=3&currency=EUR&page_token=/);
    const absolute = await request<{ next: string }>(api, '/next-url/orders?limit=3&absolute=true');
    expect(absolute.body.next.startsWith(`${api.url}/next-url/orders?`)).toBe(true);
  });
});

describe('stable paging under change (keyset cursors)', () => {
  it('still yields every record when records change mid-walk; changed ones come again at the end', async () => {
    const local = await startTestApi({ seed: 4 });
    try {
      const expected = new Set(local.data.orders.map((o) => o.id));
      const seen: number[] = [];
      let cursor: string | null = null;
      let touched = false;
      do {
        const page: { body: { data: { id: number }[]; next_cursor: string | null } } = await request(local, `/cursor/orders?limit=10${cursor === null ? '' : `&cursor=${cursor}`}`);
        seen.push(...page.body.data.map((o) => o.id));
        if (!touched) {
          // One already served, one not yet served: both move to the end of the order.
          local.touch('orders', [seen[0] as number, [...expected].find((id) => !seen.includes(id)) as number]);
          touched = true;
        }
        cursor = page.body.next_cursor;
      } while (cursor !== null);
      expect(new Set(seen)).toEqual(expected);
      expect(seen.length).toBe(expected.size + 1);
    } finally {
      await local.close();
    }
  });
});

describe('plain REST routes', () => {
  it('lists a resource under its own name with a body cursor (GET /{resource})', async () => {
    const all: { id: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { customers: { id: number }[]; next_cursor: string | null; has_more: boolean } } = await request(api, `/customers?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`);
      all.push(...page.body.customers);
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(ids(all)).toEqual(ids([...api.data.customers].sort(byUpdate)));
  });

  it('answers everything at once on /all/{resource} (pagination kind none)', async () => {
    const response = await request<{ products: unknown[] }>(api, '/all/products');
    expect(response.body.products).toHaveLength(12);
  });

  it('serves single records by id, including string and composite ids', async () => {
    const order = api.data.orders[5];
    expect((await request(api, `/orders/${order?.id}`)).body).toEqual(order);
    const contact = api.data.contacts[2];
    expect((await request(api, `/contacts/${contact?.id}`)).body).toEqual(contact);
    const level = api.data.stock_levels[3];
    expect((await request(api, `/stock_levels/${level?.id}`)).body).toEqual(level);
  });
});
