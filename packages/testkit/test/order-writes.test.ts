// Orders are writable: create, change, replace and delete, with the server's numbering and line ids, the unique
// source_identifier, per-field validation, idempotent replays, tombstones and search by source_identifier.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type Order, type TestApi } from '../src/index.ts';
import { postJson, request } from './helpers.ts';

type Problem = { error: { code: string; message: string; existing_id?: number; fields?: { field: string; message: string }[] } };

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi({ seed: 6 });
});
afterEach(() => api.close());

const ADDRESS = { first_name: 'Ada', last_name: 'Lovelace', address1: 'Main Street 1', city: 'Berlin', zip: '10115', country_code: 'DE' };
const LINE = { product_id: 8000001, variant_id: 40000001, sku: 'MUG-0001-BLK', title: 'Mug', variant_title: 'Black', quantity: 2, price: '12.50', total_discount: '0.00', tax: '5.00', taxable: true };

/** A complete order body, as a sync would send one. */
function orderBody(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source_identifier: 'commerce.order:other-shop:main:42',
    email: 'ada@example.org',
    customer_id: null,
    currency: 'EUR',
    status: 'open',
    financial_status: 'paid',
    fulfillment_status: null,
    subtotal_price: '25.00',
    total_discounts: '0.00',
    total_tax: '5.00',
    total_shipping: '4.90',
    total_price: '34.90',
    line_items: [LINE],
    shipping_address: ADDRESS,
    billing_address: null,
    tags: 'gift, vip',
    note: null,
    processed_at: '2026-02-01T10:00:00.000Z',
    cancelled_at: null,
    closed_at: null,
    ...fields,
  };
}

const fieldsOf = (problem: Problem) => (problem.error.fields ?? []).map((f) => f.field).sort();

describe('order writes', () => {
  it('creates an order: 201, Location, the next id and number, line ids, stamps from the logical clock, defaults', async () => {
    const before = api.data.orders;
    const highestNumber = Math.max(...before.map((o) => o.order_number));
    const highestLine = Math.max(...before.flatMap((o) => o.line_items.map((l) => l.id)));
    const created = await postJson<Order>(api, '/orders', orderBody({ line_items: [LINE, { title: 'Gift card', quantity: 1, price: '10.00' }] }));
    expect(created.status).toBe(201);
    const order = created.body;
    expect(created.headers.get('location')).toBe(`/orders/${order.id}`);
    expect(order.id).toBe(Math.max(...before.map((o) => o.id)) + 1);
    expect([order.order_number, order.name]).toEqual([highestNumber + 1, `#${highestNumber + 1}`]);
    expect(order.line_items.map((l) => l.id)).toEqual([highestLine + 1, highestLine + 2]);
    // A line's optional fields get their defaults; an address has every field, null when not given.
    expect(order.line_items[1]).toEqual({ id: highestLine + 2, product_id: null, variant_id: null, sku: null, title: 'Gift card', variant_title: null, quantity: 1, price: '10.00', total_discount: '0.00', tax: '0.00', taxable: true });
    expect(order.shipping_address).toEqual({ ...ADDRESS, company: null, address2: null, province: null, phone: null });
    expect(order).toMatchObject({ location_id: null, tax_rate: '0.00', source_identifier: 'commerce.order:other-shop:main:42', processed_at: '2026-02-01T10:00:00Z' });
    expect(order.created_at).toBe(order.updated_at);
    expect(Date.parse(order.created_at)).toBeGreaterThan(Math.max(...before.map((o) => Date.parse(o.updated_at))));
    expect((await request(api, `/orders/${order.id}`)).body).toEqual(order);
    // The key order of generated orders is kept.
    expect(Object.keys(order)).toEqual(Object.keys(before[0] as Order));

    // Only the currency is required: the rest defaults (money as zero in the order's currency, placed when created).
    const minimal = await postJson<Order>(api, '/orders', { currency: 'JPY' });
    expect(minimal.status).toBe(201);
    expect(minimal.body).toMatchObject({ email: null, status: 'open', financial_status: 'pending', total_price: '0', subtotal_price: '0', line_items: [], source_identifier: null, tags: '' });
    expect(minimal.body.processed_at).toBe(minimal.body.created_at);
  });

  it('numbers after the highest order, deleted ones included', async () => {
    const newest = api.data.orders.reduce((a, b) => (a.order_number > b.order_number ? a : b));
    expect((await request(api, `/orders/${newest.id}`, { method: 'DELETE' })).status).toBe(204);
    const created = await postJson<Order>(api, '/orders', { currency: 'EUR' });
    expect(created.body.order_number).toBe(newest.order_number + 1);
    expect(created.body.id).toBe(newest.id + 1);
  });

  it('keeps source_identifier unique: a create or change that would duplicate one answers 409 with existing_id', async () => {
    const first = await postJson<Order>(api, '/orders', orderBody());
    const again = await postJson<Problem>(api, '/orders', orderBody({ email: 'other@example.org' }));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', existing_id: first.body.id });
    const other = await postJson<Order>(api, '/orders', orderBody({ source_identifier: 'commerce.order:other-shop:main:43' }));
    const clash = await postJson<Problem>(api, `/orders/${other.body.id}`, { source_identifier: 'commerce.order:other-shop:main:42' }, {}, 'PATCH');
    expect([clash.status, clash.body.error.existing_id]).toEqual([409, first.body.id]);
    // Null is no value: any number of orders have none (every generated one).
    expect((await postJson(api, `/orders/${other.body.id}`, { source_identifier: null }, {}, 'PATCH')).status).toBe(200);
    expect((await postJson(api, '/orders', orderBody({ source_identifier: null }))).status).toBe(201);
    // Deleted, the identifier is free again.
    await request(api, `/orders/${first.body.id}`, { method: 'DELETE' });
    expect((await postJson(api, '/orders', orderBody())).status).toBe(201);
  });

  it('stores duplicates on a server started with uniqueWrites: false, as Shopify does; a stock level stays one per sku and location', async () => {
    const lax = await startTestApi({ seed: 6, uniqueWrites: false });
    try {
      const first = await postJson<Order>(lax, '/orders', orderBody());
      const second = await postJson<Order>(lax, '/orders', orderBody());
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(lax.data.orders.filter((order) => order.source_identifier === orderBody()['source_identifier'])).toHaveLength(2);
      const customer = { email: 'twice@example.org', first_name: 'Twice' };
      expect([(await postJson(lax, '/customers', customer)).status, (await postJson(lax, '/customers', customer)).status]).toEqual([201, 201]);
      const level = lax.data.stock_levels[0];
      if (!level) throw new Error('no stock level');
      const again = await postJson<Problem>(lax, '/stock_levels', { sku: level.sku, location_id: level.location_id, available: 1 });
      expect(again.status).toBe(409);
    } finally {
      await lax.close();
    }
  });

  it('refuses wrong types, unknown fields and a missing currency with 422, naming every field, nested ones by path', async () => {
    const response = await postJson<Problem>(api, '/orders', {
      email: 3,
      customer_id: '6000001',
      status: 'shipped',
      fulfillment_status: 'partially_fulfilled',
      total_price: 34.9,
      subtotal_price: '-1.00',
      line_items: [{ ...LINE, quantity: -1, colour: 'red' }, { quantity: 1, price: '1.00' }],
      shipping_address: { ...ADDRESS, zip: 10115, colour: 'red' },
      processed_at: 'yesterday',
      colour: 'red',
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
    expect(fieldsOf(response.body)).toEqual(
      [
        'colour',
        'currency',
        'customer_id',
        'email',
        'fulfillment_status',
        'line_items[0].colour',
        'line_items[0].quantity',
        'line_items[1].title',
        'processed_at',
        'shipping_address.colour',
        'shipping_address.zip',
        'status',
        'subtotal_price',
        'total_price',
      ].sort(),
    );
    expect(response.body.error.fields).toContainEqual({ field: 'currency', message: 'is required' });
    expect(response.body.error.fields).toContainEqual({ field: 'colour', message: 'is not a writable field' });
    expect(api.data.orders).toHaveLength(60);
    // Managed fields are not writable either.
    const managed = await postJson<Problem>(api, '/orders', { currency: 'EUR', id: 1, order_number: 7, name: '#7', created_at: '2026-01-01T00:00:00Z' });
    expect(fieldsOf(managed.body)).toEqual(['created_at', 'id', 'name', 'order_number']);
  });

  it('changes with PATCH, replaces with PUT (left-out fields reset), answers 404 for unknown orders and 405 for PUT on the collection', async () => {
    // A copy: api.data holds the live records, which the writes below change.
    const order = structuredClone(api.data.orders.find((o) => o.line_items.length > 1 && o.note === null) as Order);
    const patched = await postJson<Order>(api, `/orders/${order.id}`, { note: 'Leave at the door', status: 'closed', closed_at: '2026-05-01T12:00:00+02:00' }, {}, 'PATCH');
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: order.id, name: order.name, note: 'Leave at the door', status: 'closed', closed_at: '2026-05-01T10:00:00Z', line_items: order.line_items });
    expect(Date.parse(patched.body.updated_at)).toBeGreaterThan(Date.parse(order.updated_at));
    // New lines, new ids; the order keeps its number and creation time.
    const highestLine = Math.max(...api.data.orders.flatMap((o) => o.line_items.map((l) => l.id)));
    const relined = await postJson<Order>(api, `/orders/${order.id}`, { line_items: [LINE] }, {}, 'PATCH');
    expect(relined.body.line_items.map((l) => l.id)).toEqual([highestLine + 1]);

    const replaced = await postJson<Order>(api, `/orders/${order.id}`, { currency: 'USD', email: 'new@example.org' }, {}, 'PUT');
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: order.id, order_number: order.order_number, created_at: order.created_at, currency: 'USD', email: 'new@example.org' });
    expect(replaced.body).toMatchObject({ note: null, status: 'open', line_items: [], total_price: '0.00', shipping_address: null, processed_at: order.created_at });
    expect((await postJson<Problem>(api, `/orders/${order.id}`, { email: 'x@example.org' }, {}, 'PUT')).status).toBe(422);

    for (const method of ['PATCH', 'PUT']) expect((await postJson(api, '/orders/1', { currency: 'EUR' }, {}, method)).status).toBe(404);
    expect((await request(api, '/orders/1', { method: 'DELETE' })).status).toBe(404);
    const upsert = await postJson(api, '/orders', orderBody(), {}, 'PUT');
    expect([upsert.status, upsert.headers.get('allow')]).toEqual([405, 'GET, POST']);
  });

  it('replays a create with the same Idempotency-Key, once', async () => {
    const first = await postJson<Order>(api, '/orders', orderBody(), { 'Idempotency-Key': 'order-1' });
    const again = await postJson<Order>(api, '/orders', orderBody(), { 'Idempotency-Key': 'order-1' });
    expect([again.status, again.text, again.headers.get('idempotent-replayed')]).toEqual([201, first.text, 'true']);
    expect(api.data.orders).toHaveLength(61);
    const patch = await postJson(api, `/orders/${first.body.id}`, { note: 'x' }, { 'Idempotency-Key': 'order-2' }, 'PATCH');
    expect((await postJson(api, `/orders/${first.body.id}`, { note: 'x' }, { 'Idempotency-Key': 'order-2' }, 'PATCH')).text).toBe(patch.text);
  });

  it('deletes: 204, then 404, and a tombstone with include_deleted=true', async () => {
    const created = await postJson<Order>(api, '/orders', orderBody());
    expect((await request(api, `/orders/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(api, `/orders/${created.body.id}`)).status).toBe(404);
    const listed = await request<{ data: (Order & { deleted?: boolean })[] }>(api, `/cursor/orders?limit=100&include_deleted=true&updated_since=${created.body.updated_at}`);
    expect(listed.body.data).toMatchObject([{ id: created.body.id, deleted: true, source_identifier: 'commerce.order:other-shop:main:42' }]);
  });

  it('is found by source_identifier through POST /search/orders', async () => {
    const created = await postJson<Order>(api, '/orders', orderBody());
    await postJson(api, '/orders', orderBody({ source_identifier: 'commerce.order:other-shop:main:43' }));
    const search = (filters: unknown[]) => postJson<{ total: number; results: Order[] }>(api, '/search/orders', { filters });
    const found = await search([{ field: 'source_identifier', op: 'eq', value: 'commerce.order:other-shop:main:42' }]);
    expect(found.body.results).toEqual([created.body]);
    // Filters are ANDed.
    expect((await search([{ field: 'source_identifier', op: 'eq', value: 'commerce.order:other-shop:main:42' }, { field: 'currency', op: 'eq', value: 'USD' }])).body.total).toBe(0);
    expect((await search([{ field: 'source_identifier', op: 'eq', value: 'commerce.order:nowhere:1' }])).body.total).toBe(0);
  });
});
