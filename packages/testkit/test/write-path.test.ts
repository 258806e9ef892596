// The write path stays O(1) per request however many records there are (delivery benchmarks write 100,000): once
// its indexes are built, no create, change, delete or id lookup reads a whole collection. Asserted structurally,
// never by wall-clock time; and the indexes follow every way records change (writes, api.create, api.update,
// api.remove).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestApi, type Contact, type Customer, type TestApi } from '../src/index.ts';
import { Store } from '../src/store.ts';
import { postJson, request } from './helpers.ts';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi({ seed: 3 });
});
afterEach(() => {
  vi.restoreAllMocks();
  return api.close();
});

const ADDRESS = { address1: 'Main Street 1', city: 'Berlin', zip: '10115', country_code: 'DE' };
const LINE = { title: 'Mug', quantity: 1, price: '9.00' };

/** One round of every kind of write and id lookup; `n` keeps keys unique. */
async function writes(n: number): Promise<void> {
  const ok = (status: number) => expect(status).toBeLessThan(300);
  const customer = await postJson<Customer>(api, '/customers', { email: `c${n}@example.org`, addresses: [ADDRESS] });
  ok(customer.status);
  ok((await postJson(api, `/customers/${customer.body.id}`, { email: `c${n}.b@example.org`, addresses: [ADDRESS, ADDRESS] }, {}, 'PATCH')).status);
  ok((await postJson(api, '/customers', { email: `c${n}.b@example.org`, first_name: 'Up' }, {}, 'PUT')).status);
  ok((await request(api, `/customers/${customer.body.id}`)).status);
  ok((await request(api, `/customers/${customer.body.id}`, { method: 'DELETE' })).status);
  const contact = await postJson<Contact>(api, '/contacts', { email: `k${n}@example.org` });
  ok((await postJson(api, `/contacts/${contact.body.id}`, { email: `k${n}@example.org`, company: 'X' }, {}, 'PUT')).status);
  const order = await postJson<{ id: number }>(api, '/orders', { currency: 'EUR', source_identifier: `src-${n}`, line_items: [LINE] });
  ok(order.status);
  ok((await postJson(api, `/orders/${order.body.id}`, { source_identifier: `src-${n}-b`, line_items: [LINE, LINE] }, {}, 'PATCH')).status);
  ok((await request(api, `/orders/${order.body.id}`, { method: 'DELETE' })).status);
  const level = await postJson<{ id: string }>(api, '/stock_levels', { sku: `SKU-${n}`, location_id: 70_000_001, available: 1 }, {}, 'PUT');
  ok(level.status);
  ok((await postJson(api, '/stock_levels', { sku: `SKU-${n}`, location_id: 70_000_001, available: 2 }, {}, 'PUT')).status);
  ok((await postJson(api, `/stock_levels/${level.body.id}`, { on_hand: 3 }, {}, 'PATCH')).status);
  ok((await request(api, `/stock_levels/${level.body.id}`, { method: 'DELETE' })).status);
  // Conflicts are found through the indexes too.
  expect((await postJson(api, '/customers', { email: `c${n}@example.org` })).status).toBe(201);
  expect((await postJson(api, '/customers', { email: `C${n}@EXAMPLE.ORG` })).status).toBe(409);
}

describe('the write path', () => {
  it('reads no whole collection once its indexes are built: creates, changes, upserts, deletes, id lookups, conflicts', async () => {
    await writes(0);
    const records = vi.spyOn(Store.prototype, 'records');
    const tombstones = vi.spyOn(Store.prototype, 'tombstones');
    const sorted = vi.spyOn(Store.prototype, 'sorted');
    for (let n = 1; n <= 20; n++) await writes(n);
    expect([records.mock.calls.length, tombstones.mock.calls.length, sorted.mock.calls.length]).toEqual([0, 0, 0]);
    // Reads still see everything: the removed records left storage when it was next read.
    records.mockRestore();
    expect(api.data.customers.filter((c) => /^c\d+@example\.org$/.test(c.email))).toHaveLength(21);
    expect(api.data.stock_levels.filter((l) => l.sku.startsWith('SKU-'))).toHaveLength(0);
  });

  it('keeps storage order when records are removed', async () => {
    const ids = api.data.customers.map((c) => c.id);
    api.remove('customers', [ids[3] as number, ids[7] as number]);
    await request(api, `/customers/${ids[10]}`, { method: 'DELETE' });
    expect(api.data.customers.map((c) => c.id)).toEqual(ids.filter((_, i) => ![3, 7, 10].includes(i)));
    // Ids continue after the highest, deleted ones included.
    api.remove('customers', ids.at(-1) as number);
    expect((await postJson<Customer>(api, '/customers', { email: 'next@example.org' })).body.id).toBe((ids.at(-1) as number) + 1);
  });

  it('follows test-side changes: api.update and api.create move emails, api.remove frees them', async () => {
    const [a, b] = api.data.customers as [Customer, Customer];
    const before = a.email;
    api.update('customers', a.id, { email: 'Moved@Example.org' });
    expect((await postJson<{ error: { existing_id: number } }>(api, '/customers', { email: 'moved@example.org' })).body.error.existing_id).toBe(a.id);
    expect((await postJson(api, '/customers', { email: before })).status).toBe(201);
    const made = api.create('customers', { email: 'made@example.org' });
    expect((await postJson<{ error: { existing_id: number } }>(api, '/customers', { email: 'made@example.org' })).body.error.existing_id).toBe(made.id);
    api.remove('customers', made.id);
    expect((await postJson(api, '/customers', { email: 'made@example.org' })).status).toBe(201);
    // A duplicate forced by a test: the first in storage order is the one found, as a scan would find it.
    api.update('customers', b.id, { email: 'moved@example.org' });
    expect((await postJson<{ error: { existing_id: number } }>(api, '/customers', { email: 'moved@example.org' })).body.error.existing_id).toBe(a.id);
    api.remove('customers', a.id);
    expect((await postJson<{ error: { existing_id: number } }>(api, '/customers', { email: 'moved@example.org' })).body.error.existing_id).toBe(b.id);
  });
});
