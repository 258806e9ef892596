// Data that changes while a client reads: records a test creates, updates and deletes between two requests
// (api.create, api.update, the onRequest hook), and what that does to totals, offset pages and keyset cursors.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type Project, type TestApi, type TestApiOptions } from '../src/index.ts';
import { byUpdate, request } from './helpers.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(options: TestApiOptions = {}): Promise<TestApi> {
  api = await startTestApi({ seed: 8, ...options });
  return api;
}

const newest = (server: TestApi, resource: 'orders' | 'tickets') => [...server.data[resource]].sort(byUpdate).at(-1)?.updated_at as string;

describe('api.create', () => {
  it('adds a record with the next id, stamped one second later on the logical clock, served at once', async () => {
    const server = await start();
    const before = newest(server, 'orders');
    const highest = Math.max(...server.data.orders.map((order) => order.id));
    const order = server.create('orders');
    expect(order.id).toBe(highest + 1);
    expect(order.updated_at > before).toBe(true);
    expect(order.created_at).toBe(order.updated_at);
    expect(order.order_number).toBe(Math.max(...server.data.orders.filter((o) => o.id !== order.id).map((o) => o.order_number)) + 1);
    const second = server.create('orders', { currency: 'USD' });
    expect([second.id, second.currency, Date.parse(second.updated_at) - Date.parse(order.updated_at)]).toEqual([highest + 2, 'USD', 1000]);
    expect((await request(server, `/orders/${order.id}`)).body).toEqual(order);
    const last = await request<{ data: { id: number }[] }>(server, `/cursor/orders?updated_since=${order.updated_at}`);
    expect(last.body.data.map((o) => o.id)).toEqual([order.id, second.id]);
  });

  it('renews what must stay unique (emails, keys, member ids) and lets fields override anything', async () => {
    const server = await start();
    const customer = server.create('customers');
    expect(server.data.customers.filter((c) => c.email === customer.email)).toHaveLength(1);
    const project = server.data.projects[0] as Project;
    const ticket = server.create('tickets', { project_id: project.id, status: 'closed', summary: 'Created mid-read' });
    const numbers = server.data.tickets.filter((t) => t.project_id === project.id && t.id !== ticket.id).map((t) => Number(t.key.split('-')[1]));
    expect(ticket).toMatchObject({ key: `${project.key}-${Math.max(...numbers) + 1}`, status: 'closed', resolved_at: ticket.updated_at, summary: 'Created mid-read', comments_count: 0 });
    const user = server.create('users');
    expect(user.id).toMatch(/^U0[0-9A-Z]{9}$/);
    const contact = server.create('contacts', { id: '99999', email: 'late@example.com' });
    expect([contact.id, contact.email]).toEqual(['99999', 'late@example.com']);
    expect(() => server.create('contacts', { id: '99999' })).toThrow(RangeError);
    const level = server.create('stock_levels');
    expect(level.id).toBe(`${level.inventory_item_id}:${level.location_id}`);
    expect('created_at' in level).toBe(false);
    const comment = server.create('comments', { ticket_id: ticket.id });
    expect(server.data.tickets.find((t) => t.id === ticket.id)?.comments_count).toBe(1);
    expect(comment.ticket_id).toBe(ticket.id);
  });

  it('stages late writes: an explicit updated_at older than what was already served', async () => {
    const server = await start();
    const top = newest(server, 'orders');
    const late = server.create('orders', { updated_at: '2026-01-02T03:04:05.678Z' });
    expect([late.updated_at, late.created_at]).toEqual(['2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z']);
    const first = await request<{ data: { id: number }[] }>(server, '/cursor/orders?limit=100');
    expect(first.body.data.map((o) => o.id)).toContain(late.id);
    // The logical clock did not go back: the next change is still the newest.
    expect(server.create('orders').updated_at > top).toBe(true);
    expect(() => server.create('orders', { updated_at: 'soon' })).toThrow(RangeError);
  });

  it('is deterministic: the same calls on the same seed give the same records and responses', async () => {
    const [a, b] = await Promise.all([startTestApi({ seed: 8 }), startTestApi({ seed: 8 })]);
    try {
      for (const server of [a, b]) {
        server.create('tickets');
        server.create('users');
        server.update('orders', server.data.orders[3]?.id as number, { note: 'changed' });
      }
      for (const path of ['/cursor/tickets?limit=100', '/offset/users?limit=100', '/cursor/orders?limit=100', '/redmine/issues.json?status_id=*', '/wp-json/wp/v2/posts']) {
        expect((await request(b, path)).text, path).toBe((await request(a, path)).text);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('needs a record to model on', async () => {
    const server = await start({ dataset: { channels: 0 } });
    expect(() => server.create('channels')).toThrow(/no channels record/);
  });
});

describe('api.update', () => {
  it('changes fields and stamps updated_at; refuses to change id or updated_at directly', async () => {
    const server = await start();
    const id = server.data.contacts[0]?.id as string;
    const changed = server.update('contacts', id, { city: 'Utrecht' });
    expect(changed.city).toBe('Utrecht');
    expect(changed.updated_at > newest(server, 'orders')).toBe(true);
    expect(server.update('contacts', id, { city: 'Delft' }, '2026-01-01T00:00:09Z').updated_at).toBe('2026-01-01T00:00:09Z');
    expect(() => server.update('contacts', id, { id: '1' })).toThrow(RangeError);
    expect(() => server.update('contacts', id, { updated_at: '2026-01-01T00:00:00Z' })).toThrow(/as `at`/);
    expect(() => server.update('contacts', 'nope', {})).toThrow(RangeError);
  });
});

describe('onRequest: changes between two requests', () => {
  type OffsetPage = { items: { id: number }[]; total: number };

  /** Walks /offset/orders as a naive client does: offset += limit until offset passes the total. */
  async function offsetWalk(server: TestApi, limit: number): Promise<{ ids: number[]; totals: number[] }> {
    const ids: number[] = [];
    const totals: number[] = [];
    for (let offset = 0; ; offset += limit) {
      const page = await request<OffsetPage>(server, `/offset/orders?offset=${offset}&limit=${limit}`);
      ids.push(...page.body.items.map((order) => order.id));
      totals.push(page.body.total);
      if (offset + limit >= page.body.total) return { ids, totals };
    }
  }

  it('runs before each request is served, with the logged request and the API, and is awaited', async () => {
    const seen: string[] = [];
    const server = await start({
      onRequest: async (request, target) => {
        await Promise.resolve();
        seen.push(`${request.seq} ${request.method} ${request.path} ${JSON.stringify(request.query)} ${request.status}`);
        if (request.query['make'] === 'order') target.create('orders', { note: 'from the hook' });
      },
    });
    const count = server.data.orders.length;
    const page = await request<{ total: number }>(server, '/offset/orders?make=order');
    // The record created by the hook is already in the answer to the request that triggered it.
    expect(page.body.total).toBe(count + 1);
    expect(seen).toEqual(['1 GET /offset/orders {"make":"order"} 0']);
    server.setOnRequest(undefined);
    await request(server, '/offset/orders?make=order');
    expect([seen.length, server.data.orders.length]).toEqual([1, count + 1]);
  });

  it('makes totals move and offset pages drift: a deletion mid-walk skips a record', async () => {
    const server = await start({ dataset: { orders: 50 } });
    const sorted = [...server.data.orders].sort(byUpdate).map((order) => order.id);
    server.setOnRequest((request) => {
      // Before the third page, delete a record of the first page: every later record moves up by one.
      if (request.path === '/offset/orders' && request.query['offset'] === '20') server.remove('orders', sorted[0] as number);
    });
    const { ids, totals } = await offsetWalk(server, 10);
    expect(totals).toEqual([50, 50, 49, 49, 49]);
    expect(ids).toHaveLength(49);
    const missed = sorted.filter((id) => !ids.includes(id));
    expect(missed).toEqual([sorted[20]]);
  });

  it('duplicates records on newest-first offsets when a record is created mid-walk (Redmine’s id:desc)', async () => {
    const server = await start({ dataset: { tickets: 60 } });
    server.setOnRequest((request) => {
      if (request.path === '/redmine/issues.json' && request.query['offset'] === '25') server.create('tickets', { status: 'open' });
    });
    const ids: number[] = [];
    const totals: number[] = [];
    for (let offset = 0; ; offset += 25) {
      const page = await request<{ issues: { id: number }[]; total_count: number }>(server, `/redmine/issues.json?status_id=*&offset=${offset}`);
      ids.push(...page.body.issues.map((issue) => issue.id));
      totals.push(page.body.total_count);
      if (offset + 25 >= page.body.total_count) break;
    }
    expect(totals).toEqual([60, 61, 61]);
    expect(ids.length - new Set(ids).size).toBe(1);
    // The new issue came first in the order, on a page already read: it was never served.
    expect(ids).not.toContain(Math.max(...server.data.tickets.map((ticket) => ticket.id)));
  });

  it('keeps keyset cursors complete while records are created, updated and deleted under them', async () => {
    const server = await start({ dataset: { orders: 45 } });
    const original = server.data.orders.map((order) => order.id);
    const seen: number[] = [];
    let pages = 0;
    server.setOnRequest((request) => {
      if (request.path !== '/cursor/orders' || ++pages !== 3) return;
      // Before the third page: one new record, one already served changes (it comes again, at the end).
      server.create('orders');
      server.update('orders', seen[0] as number, { note: 'edited' });
    });
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: number }[]; next_cursor: string | null } } = await request(server, `/cursor/orders?limit=10${cursor === null ? '' : `&cursor=${cursor}`}`);
      seen.push(...page.body.data.map((order) => order.id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    for (const id of original) expect(seen).toContain(id);
    expect(seen).toHaveLength(original.length + 2);
  });
});
