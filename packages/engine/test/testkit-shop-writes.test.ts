// testkit's shop as a destination of orders and stock levels (shopConnectorDefinition({ writes: true })), run by
// the engine: every order and every stock level of a default dataset, read from one testkit shop as canonical
// records, written to a second one and read back from it, is the same canonical record except for what the
// destination assigns. Then the lookups, updates, deletions and idempotent replays of those writes.
// (This lives here rather than in testkit's tests because testkit must not depend on the engine: the engine's
// tests already depend on testkit.)
import type { CanonicalEvent } from '@pullpush/canonical';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { compileConnector, type Connector } from '../src/index.ts';
import { collect, events, local, useTestApis, type TestApi } from './support.ts';

type Json = Record<string, unknown>;

const { serve, keep } = useTestApis();
const SOURCE_TOKEN = 'source-t0ken';
const TOKEN = 'dest-t0ken-5c1e';
const ORDER = 'commerce.order@1';
const STOCK_LEVEL = 'commerce.stocklevel@1';

/**
 * What the destination assigns, so a round trip cannot keep it:
 * - `id` and `remote.id` (orders): the destination's own id of the record; the canonical id of an order is built
 *   from it (commerce.order:<connector>:<connection>:<remote id>). The source's canonical id is not lost: it is
 *   written as the order's source_identifier, which the lookup finds it by.
 * - `remote.id` (stock levels): `<inventory_item_id>:<location_id>`, and the destination hands out its own
 *   inventory items. The canonical id (sku and location) is the same on both sides.
 * - `number` (orders): the destination numbers its orders itself (#1061 after its 60 own).
 * - `createdAt`: the destination's logical clock (stock levels have none: null on both sides).
 * - `updatedAt`: likewise.
 * - `lines[].id` (orders): the destination gives each line a new id.
 */
function comparable(type: string, record: Json): Json {
  const { updatedAt: _updated, remote, ...rest } = record;
  const kept: Json = { ...rest, remote: { ...(remote as Json), id: '(assigned)' } };
  if (type !== ORDER) return kept;
  const { id: _id, number: _number, createdAt: _created, lines, ...order } = kept;
  return { ...order, lines: (lines as Json[]).map(({ id: _line, ...line }) => line) };
}

async function sourceEvents(stream: 'orders' | 'stock_levels'): Promise<Array<CanonicalEvent<Json>>> {
  const source = await serve({ seed: 23, auth: { kind: 'bearer', token: SOURCE_TOKEN } });
  const reader = keep(await compileConnector(shopConnectorDefinition(), { apiKey: SOURCE_TOKEN }, local(source)));
  return events(await collect(reader.read(stream)));
}

/** The destination (its own default dataset, another seed) and two connectors to it: one writes, one reads back. */
async function destination(): Promise<{ api: TestApi; writer: Connector; reader: Connector }> {
  const api = await serve({ seed: 4, auth: { kind: 'bearer', token: TOKEN } });
  const writer = keep(await compileConnector(shopConnectorDefinition({ writes: true }), { apiKey: TOKEN }, local(api)));
  const reader = keep(await compileConnector(shopConnectorDefinition(), { apiKey: TOKEN }, local(api)));
  return { api, writer, reader };
}

/** What the destination serves now, by remote id. */
async function readBack(reader: Connector, stream: 'orders' | 'stock_levels'): Promise<Map<string, Json>> {
  const read = events(await collect(reader.read(stream)));
  return new Map(read.map((event) => [String((event.data['remote'] as Json)['id']), event.data]));
}

describe('the testkit shop as a destination of orders and stock levels', () => {
  it('writes every order of a default dataset, and reads each back as the same canonical order but for what the shop assigns', async () => {
    const orders = await sourceEvents('orders');
    expect(orders).toHaveLength(60);
    const { api, writer, reader } = await destination();
    expect(writer.writes).toMatchObject({ [ORDER]: ['create', 'update', 'delete'], [STOCK_LEVEL]: ['update', 'upsert', 'delete'] });

    const written = new Map<string, Json>();
    for (const order of orders) {
      expect(await writer.findRemoteId(ORDER, order.data)).toBeUndefined();
      const result = await writer.write(ORDER, 'create', order.data, { idempotencyKey: order.id });
      expect(result).toMatchObject({ status: 201, replayed: false });
      written.set(result.remoteId as string, order.data);
    }
    expect(written.size).toBe(60);

    const back = await readBack(reader, 'orders');
    for (const [remoteId, order] of written) {
      const read = back.get(remoteId);
      expect(read, remoteId).toBeDefined();
      expect(comparable(ORDER, read as Json), String(order['id'])).toEqual(comparable(ORDER, order));
    }
    // The source's canonical id is kept as source_identifier: the lookup finds each order by it.
    const [first] = orders;
    if (!first) throw new Error('no orders');
    const remoteId = await writer.findRemoteId(ORDER, first.data);
    expect(written.get(remoteId as string)).toBe(first.data);
    expect(api.data.orders.find((order) => String(order.id) === remoteId)?.source_identifier).toBe(first.data['id']);
  });

  it('upserts every stock level of a default dataset, and reads each back as the same canonical stock level but for what the shop assigns', async () => {
    const levels = await sourceEvents('stock_levels');
    expect(levels.length).toBeGreaterThan(60);
    expect(levels.some((level) => level.data['available'] === null)).toBe(true);
    const { writer, reader } = await destination();

    const written = new Map<string, Json>();
    for (const level of levels) {
      const result = await writer.write(STOCK_LEVEL, 'upsert', level.data, { idempotencyKey: level.id });
      expect([200, 201]).toContain(result.status);
      written.set(result.remoteId as string, level.data);
    }
    expect(written.size).toBe(levels.length);

    const back = await readBack(reader, 'stock_levels');
    for (const [remoteId, level] of written) {
      const read = back.get(remoteId);
      expect(read, remoteId).toBeDefined();
      expect(comparable(STOCK_LEVEL, read as Json), String(level['id'])).toEqual(comparable(STOCK_LEVEL, level));
    }
    // Keyed by sku and location: a second upsert of the same level replaces it, and the lookup finds it.
    const [first] = levels;
    if (!first) throw new Error('no stock levels');
    const remoteId = await writer.findRemoteId(STOCK_LEVEL, first.data);
    expect(written.get(remoteId as string)).toBe(first.data);
    const again = await writer.write(STOCK_LEVEL, 'upsert', { ...first.data, available: 7 });
    expect(again).toMatchObject({ status: 200, remoteId });
  });

  it('updates and deletes what it wrote; a replayed create writes nothing twice; a duplicate create is refused', async () => {
    const [order] = await sourceEvents('orders');
    if (!order) throw new Error('no orders');
    const { api, writer } = await destination();
    const created = await writer.write(ORDER, 'create', order.data, { idempotencyKey: order.id });
    const remoteId = created.remoteId as string;
    expect(await writer.write(ORDER, 'create', order.data, { idempotencyKey: order.id })).toMatchObject({ remoteId, replayed: true });
    // Without the key, a second create of the same order meets its source_identifier: 409.
    await expect(writer.write(ORDER, 'create', order.data)).rejects.toMatchObject({ code: 'ENGINE_WRITE_FAILED', message: expect.stringContaining('409') });

    await writer.write(ORDER, 'update', { ...order.data, note: 'Gift wrap', status: { value: 'cancelled', native: 'cancelled' } }, { remoteId });
    expect(api.data.orders.find((o) => String(o.id) === remoteId)).toMatchObject({ note: 'Gift wrap', status: 'cancelled', source_identifier: order.data['id'] });
    expect(await writer.write(ORDER, 'delete', order.data, { remoteId })).toMatchObject({ status: 204 });
    expect(await writer.findRemoteId(ORDER, order.data)).toBeUndefined();

    const [level] = await sourceEvents('stock_levels');
    if (!level) throw new Error('no stock levels');
    const upserted = await writer.write(STOCK_LEVEL, 'upsert', level.data);
    const levelId = upserted.remoteId as string;
    await writer.write(STOCK_LEVEL, 'update', { ...level.data, quantity: 40, available: 35, committed: 5, incoming: null }, { remoteId: levelId });
    expect(api.data.stock_levels.find((l) => l.id === levelId)).toMatchObject({ sku: level.data['sku'], on_hand: 40, available: 35, committed: 5, incoming: null });
    expect(await writer.write(STOCK_LEVEL, 'delete', level.data, { remoteId: levelId })).toMatchObject({ status: 204 });
    expect(await writer.findRemoteId(STOCK_LEVEL, level.data)).toBeUndefined();
  });
});
