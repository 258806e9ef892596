// The write side: create, upsert, replace, change and delete contacts and customers, idempotently; and the
// test-side changes (touch, remove) that incremental and tombstone tests rely on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WRITABLE_RESOURCES, startTestApi, type Contact, type TestApi } from '../src/index.ts';
import { postJson, request } from './helpers.ts';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi({ seed: 6 });
});
afterEach(() => api.close());

describe('writes', () => {
  it('creates a record: 201, the new id, a Location, and the record readable afterwards', async () => {
    expect(WRITABLE_RESOURCES).toEqual(['contacts', 'customers', 'orders', 'stock_levels']);
    const created = await postJson<Contact>(api, '/contacts', { email: 'new@example.org', first_name: 'New', lifecycle_stage: 'lead' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new@example.org', first_name: 'New', last_name: null, lifecycle_stage: 'lead' });
    expect(typeof created.body.id).toBe('string');
    expect(created.headers.get('location')).toBe(`/contacts/${created.body.id}`);
    expect((await request(api, `/contacts/${created.body.id}`)).body).toEqual(created.body);
    expect(api.data.contacts).toHaveLength(31);
    // New records change after everything generated, so an incremental read picks them up.
    const newest = await request<{ data: { id: string }[] }>(api, `/cursor/contacts?updated_since=${created.body.updated_at}`);
    expect(newest.body.data.map((c) => c.id)).toEqual([created.body.id]);
  });

  it('honours Idempotency-Key: same key and request → same answer, one write; other request → 422', async () => {
    const body = { email: 'once@example.org', first_name: 'Once' };
    const first = await postJson(api, '/contacts', body, { 'Idempotency-Key': 'k-1' });
    const again = await postJson(api, '/contacts', body, { 'Idempotency-Key': 'k-1' });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(api.data.contacts.filter((c) => c.email === 'once@example.org')).toHaveLength(1);
    const reused = await postJson<{ error: { code: string } }>(api, '/contacts', { ...body, first_name: 'Twice' }, { 'Idempotency-Key': 'k-1' });
    expect([reused.status, reused.body.error.code]).toEqual([422, 'idempotency_key_reused']);
    // Without a key, the same request is a second write (refused here: the email is taken).
    const duplicate = await postJson<{ error: { code: string; existing_id: string } }>(api, '/contacts', body);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.existing_id).toBe((first.body as Contact).id);
  });

  it('refuses unknown fields, wrong types and a missing email with 422 and every problem', async () => {
    const response = await postJson<{ error: { code: string; fields: { field: string }[] } }>(api, '/customers', { first_name: 3, colour: 'red' });
    expect(response.status).toBe(422);
    expect(response.body.error.fields.map((f) => f.field).sort()).toEqual(['colour', 'email', 'first_name']);
    expect((await request(api, '/contacts', { method: 'POST', body: 'not json' })).status).toBe(400);
  });

  it('replaces with PUT, changes with PATCH, upserts by email with PUT on the collection', async () => {
    const contact = api.data.contacts[0] as Contact;
    const replaced = await postJson<Contact>(api, `/contacts/${contact.id}`, { email: contact.email, first_name: 'Only' }, {}, 'PUT');
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: contact.id, first_name: 'Only', last_name: null, company: null });
    expect(Date.parse(replaced.body.updated_at)).toBeGreaterThan(Date.parse(contact.created_at));
    const patched = await postJson<Contact>(api, `/contacts/${contact.id}`, { company: 'Kestrel Labs' }, {}, 'PATCH');
    expect(patched.body).toMatchObject({ first_name: 'Only', company: 'Kestrel Labs' });
    const upserted = await postJson<Contact>(api, '/contacts', { email: contact.email, first_name: 'Upserted' }, {}, 'PUT');
    expect([upserted.status, upserted.body.id, upserted.body.first_name]).toEqual([200, contact.id, 'Upserted']);
    const inserted = await postJson<Contact>(api, '/contacts', { email: 'fresh@example.org' }, {}, 'PUT');
    expect(inserted.status).toBe(201);
    expect((await postJson(api, '/contacts/999999', { company: 'x' }, {}, 'PATCH')).status).toBe(404);
  });

  it('creates customers with addresses, ids assigned', async () => {
    const created = await postJson<{ id: number; addresses: { id: number; customer_id: number; default: boolean }[]; default_address: unknown }>(api, '/customers', {
      email: 'shop@example.org',
      addresses: [{ address1: 'Main Street 1', city: 'Berlin', zip: '10115', country_code: 'DE' }],
    });
    expect(created.status).toBe(201);
    expect(typeof created.body.id).toBe('number');
    expect(created.body.addresses[0]).toMatchObject({ customer_id: created.body.id, default: true, city: 'Berlin', province: null });
    expect(created.body.default_address).toEqual(created.body.addresses[0]);
  });

  it('deletes: 204, then 404, and a tombstone with include_deleted=true', async () => {
    const contact = api.data.contacts[3] as Contact;
    expect((await request(api, `/contacts/${contact.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(api, `/contacts/${contact.id}`)).status).toBe(404);
    expect((await request(api, `/contacts/${contact.id}`, { method: 'DELETE' })).status).toBe(404);
    const listed = await request<{ data: { id: string; deleted?: boolean; deleted_at?: string }[] }>(api, '/cursor/contacts?limit=100&include_deleted=true');
    expect(listed.body.data.at(-1)).toMatchObject({ id: contact.id, deleted: true, deleted_at: expect.any(String) });
    const live = await request<{ data: { id: string }[] }>(api, '/cursor/contacts?limit=100');
    expect(live.body.data.map((c) => c.id)).not.toContain(contact.id);
  });

  it('refuses writes to read-only resources with 405', async () => {
    const response = await postJson(api, '/products', { title: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect((await postJson(api, '/unicorns', {})).status).toBe(404);
  });
});

describe('touch and remove', () => {
  it('touch bumps updated_at past everything, so incremental filters return exactly the touched records', async () => {
    const [a, b] = [api.data.orders[2], api.data.orders[7]];
    const at = api.touch('orders', [a?.id as number, b?.id as number]);
    expect(Date.parse(at)).toBeGreaterThan(Math.max(...api.data.tickets.map((t) => Date.parse(t.updated_at))));
    const since = await request<{ data: { id: number; updated_at: string }[] }>(api, `/cursor/orders?updated_since=${encodeURIComponent(at)}`);
    expect(since.body.data.map((o) => o.id)).toEqual([a?.id, b?.id]);
    expect(since.body.data.every((o) => o.updated_at === at)).toBe(true);
    const later = api.touch('orders', a?.id as number, '2027-01-01T00:00:00Z');
    expect(later).toBe('2027-01-01T00:00:00Z');
    expect(() => api.touch('orders', 1)).toThrow(RangeError);
  });

  it('remove deletes records and keeps tombstones dated after everything else', async () => {
    const ids = api.data.products.slice(0, 2).map((p) => p.id);
    const at = api.remove('products', ids);
    expect(api.data.products.map((p) => p.id)).not.toContain(ids[0]);
    const tombstones = await request<{ data: { id: number; deleted: boolean }[] }>(api, `/cursor/products?include_deleted=true&updated_since=${encodeURIComponent(at)}`);
    expect(tombstones.body.data).toMatchObject([{ id: ids[0], deleted: true }, { id: ids[1], deleted: true }]);
    expect(() => api.remove('products', ids[0] as number)).toThrow(RangeError);
  });
});
