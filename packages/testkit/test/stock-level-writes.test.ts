// Stock levels are writable: upserted by (sku, location_id) with PUT, created with POST (409 on a taken key), their
// quantities changed with PATCH or PUT by id, deleted; idempotent replays, tombstones and search by sku and location.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type StockLevel, type TestApi } from '../src/index.ts';
import { postJson, request } from './helpers.ts';

type Problem = { error: { code: string; existing_id?: string; fields?: { field: string; message: string }[] } };

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi({ seed: 6 });
});
afterEach(() => api.close());

const LOCATION = 70_000_002;
const NEW = { sku: 'NEW-SKU-1', location_id: LOCATION, product_id: 8000001, variant_id: null, available: 5, on_hand: 7, committed: 2, incoming: null };
const fieldsOf = (problem: Problem) => (problem.error.fields ?? []).map((f) => f.field).sort();
const highestItem = () => Math.max(...api.data.stock_levels.map((level) => level.inventory_item_id));

describe('stock level writes', () => {
  it('upserts by sku and location with PUT: a new level (201, a fresh inventory item), then the same one replaced (200)', async () => {
    const item = highestItem() + 1;
    const created = await postJson<StockLevel>(api, '/stock_levels', NEW, {}, 'PUT');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: `${item}:${LOCATION}`, inventory_item_id: item, ...NEW, updated_at: created.body.updated_at });
    // Same key order as generated levels, and no created_at.
    expect(Object.keys(created.body)).toEqual(Object.keys(api.data.stock_levels[0] as StockLevel));
    expect(created.headers.get('location')).toBe(`/stock_levels/${created.body.id}`);
    expect((await request(api, `/stock_levels/${created.body.id}`)).body).toEqual(created.body);

    const replaced = await postJson<StockLevel>(api, '/stock_levels', { sku: NEW.sku, location_id: LOCATION, on_hand: 0, available: 0 }, {}, 'PUT');
    expect(replaced.status).toBe(200);
    // Replaced: what the body leaves out is null (unknown), not kept.
    expect(replaced.body).toEqual({ ...created.body, product_id: null, variant_id: null, available: 0, on_hand: 0, committed: null, incoming: null, updated_at: replaced.body.updated_at });

    // A generated level is found by its key too.
    const generated = api.data.stock_levels[5] as StockLevel;
    const upserted = await postJson<StockLevel>(api, '/stock_levels', { sku: generated.sku, location_id: generated.location_id, available: 1 }, {}, 'PUT');
    expect([upserted.status, upserted.body.id, upserted.body.available]).toEqual([200, generated.id, 1]);
    // The same sku elsewhere is another level.
    expect((await postJson(api, '/stock_levels', { sku: NEW.sku, location_id: 70_000_003 }, {}, 'PUT')).status).toBe(201);
  });

  it('creates with POST, and answers 409 with existing_id when the sku is stocked at that location already', async () => {
    const created = await postJson<StockLevel>(api, '/stock_levels', NEW);
    expect(created.status).toBe(201);
    const again = await postJson<Problem>(api, '/stock_levels', { ...NEW, available: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', existing_id: created.body.id });
    const generated = api.data.stock_levels[0] as StockLevel;
    expect((await postJson<Problem>(api, '/stock_levels', { sku: generated.sku, location_id: generated.location_id })).body.error.existing_id).toBe(generated.id);
  });

  it('hands out inventory items after the highest, deleted levels included', async () => {
    const created = await postJson<StockLevel>(api, '/stock_levels', NEW);
    expect((await request(api, `/stock_levels/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const next = await postJson<StockLevel>(api, '/stock_levels', NEW);
    expect(next.body.inventory_item_id).toBe(created.body.inventory_item_id + 1);
  });

  it('changes quantities with PATCH and PUT by id; the key and ids are not writable there', async () => {
    const level = structuredClone(api.data.stock_levels.find((l) => l.available !== null) as StockLevel);
    const patched = await postJson<StockLevel>(api, `/stock_levels/${level.id}`, { available: -2, incoming: 10 }, {}, 'PATCH');
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: level.id, sku: level.sku, on_hand: level.on_hand, committed: level.committed, available: -2, incoming: 10 });
    expect(Date.parse(patched.body.updated_at)).toBeGreaterThan(Date.parse(level.updated_at));
    const replaced = await postJson<StockLevel>(api, `/stock_levels/${level.id}`, { on_hand: 3 }, {}, 'PUT');
    expect(replaced.body).toMatchObject({ sku: level.sku, location_id: level.location_id, on_hand: 3, available: null, committed: null, incoming: null });

    const refused = await postJson<Problem>(api, `/stock_levels/${level.id}`, { sku: 'OTHER', location_id: 1, product_id: 2, inventory_item_id: 3, committed: -1, on_hand: 'many' }, {}, 'PATCH');
    expect(refused.status).toBe(422);
    expect(fieldsOf(refused.body)).toEqual(['committed', 'inventory_item_id', 'location_id', 'on_hand', 'product_id', 'sku']);
    expect(refused.body.error.fields).toContainEqual({ field: 'sku', message: expect.stringContaining('cannot be changed') });
    expect((await postJson<Problem>(api, `/stock_levels/${level.id}`, { sku: 'OTHER' }, {}, 'PUT')).status).toBe(422);
  });

  it('refuses a body without its key, or with wrong types, naming every field', async () => {
    const response = await postJson<Problem>(api, '/stock_levels', { product_id: '8000001', available: 1.5, incoming: -3, colour: 'red' }, {}, 'PUT');
    expect(response.status).toBe(422);
    expect(fieldsOf(response.body)).toEqual(['available', 'colour', 'incoming', 'location_id', 'product_id', 'sku']);
    expect((await postJson<Problem>(api, '/stock_levels', { sku: '', location_id: 'x' })).body.error.fields?.map((f) => f.field)).toEqual(['sku', 'location_id']);
  });

  it('answers 404 for unknown levels, replays writes with the same Idempotency-Key, and deletes leaving a tombstone', async () => {
    for (const method of ['PATCH', 'PUT']) expect((await postJson(api, '/stock_levels/1:2', { available: 1 }, {}, method)).status).toBe(404);
    expect((await request(api, '/stock_levels/1:2', { method: 'DELETE' })).status).toBe(404);

    const first = await postJson<StockLevel>(api, '/stock_levels', NEW, { 'Idempotency-Key': 'level-1' }, 'PUT');
    const again = await postJson<StockLevel>(api, '/stock_levels', NEW, { 'Idempotency-Key': 'level-1' }, 'PUT');
    expect([again.status, again.text, again.headers.get('idempotent-replayed')]).toEqual([201, first.text, 'true']);
    expect(api.data.stock_levels.filter((l) => l.sku === NEW.sku)).toHaveLength(1);

    expect((await request(api, `/stock_levels/${first.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(api, `/stock_levels/${first.body.id}`)).status).toBe(404);
    const listed = await request<{ data: (StockLevel & { deleted?: boolean })[] }>(api, `/cursor/stock_levels?limit=100&include_deleted=true&updated_since=${first.body.updated_at}`);
    expect(listed.body.data).toMatchObject([{ id: first.body.id, sku: NEW.sku, deleted: true }]);
    // The key is free again: a new level, a new inventory item.
    expect((await postJson(api, '/stock_levels', NEW)).status).toBe(201);
  });

  it('is found by sku and location through POST /search/stock_levels (filters ANDed)', async () => {
    const generated = api.data.stock_levels[0] as StockLevel;
    const search = (filters: unknown[]) => postJson<{ total: number; results: StockLevel[] }>(api, '/search/stock_levels', { filters });
    const bySku = await search([{ field: 'sku', op: 'eq', value: generated.sku }]);
    expect(bySku.body.total).toBe(api.data.locations.length);
    // The location as a string, as a template renders it, matches the integer.
    const both = await search([{ field: 'sku', op: 'eq', value: generated.sku }, { field: 'location_id', op: 'eq', value: String(generated.location_id) }]);
    expect(both.body.results.map((l) => l.id)).toEqual([generated.id]);
  });
});
