// testkit's ready-made shop connector (shopConnectorDefinition) run by the engine against real testkit servers:
// it validates, passes a read-only test run, reads every native record exactly once, and reads changes and
// deletions incrementally.
import { DslCode, validateDefinition } from '@pullpush/schema';
import { SHOP_LOOKBACK_SECONDS, SHOP_STREAMS, shopConnectorDefinition, type StockLevel } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { compileConnector, renderTestReport, testConnector, type Connector } from '../src/index.ts';
import { collect, events, finalState, LOCAL, ofType, remoteIds, sortedStrings, useTestApis, type TestApi } from './support.ts';

const TOKEN = 'shop-t0ken';
const CONFIG = { apiKey: TOKEN };
const apis = useTestApis({ seed: 11, auth: { kind: 'bearer', token: TOKEN } });

async function connect(api: TestApi): Promise<Connector> {
  return apis.keep(await compileConnector(shopConnectorDefinition({ baseUrl: api.url }), CONFIG, LOCAL));
}

/** A timestamp as testkit writes it (whole seconds, Z), which the engine stores and sends back as it came. */
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const newest = (records: ReadonlyArray<{ updated_at: string }>) => Math.max(...records.map((record) => Date.parse(record.updated_at)));

describe('shopConnectorDefinition', () => {
  it('validates without errors or warnings; only its default plain-http base URL is refused, as the engine may allow', () => {
    expect(validateDefinition(shopConnectorDefinition({ baseUrl: 'https://shop.example.test' }))).toEqual({ ok: true, errors: [], warnings: [] });
    expect(validateDefinition(shopConnectorDefinition({ baseUrl: 'https://shop.example.test', writes: true }))).toEqual({ ok: true, errors: [], warnings: [] });
    expect(validateDefinition(shopConnectorDefinition({ baseUrl: 'https://shop.example.test', auth: 'oauth2RefreshToken' }))).toEqual({ ok: true, errors: [], warnings: [] });
    const local = validateDefinition(shopConnectorDefinition());
    expect(local.errors.map((problem) => problem.code)).toEqual([DslCode.InsecureBaseUrl]);
    expect(local.warnings).toEqual([]);
  });

  it('takes a page size from 1 to 100, and one of its auth kinds', () => {
    expect(shopConnectorDefinition({ pageSize: 25 }).streams['orders']?.pagination).toMatchObject({ pageSize: { value: 25 } });
    for (const pageSize of [0, 101, 2.5]) expect(() => shopConnectorDefinition({ pageSize })).toThrow(RangeError);
    expect(() => shopConnectorDefinition({ auth: 'basic' as 'bearer' })).toThrow(/auth must be one of bearer, oauth2RefreshToken, got basic/);
  });

  it('passes a read-only test run with the bearer token, and fails auth with another', async () => {
    // Pages of 5 and more than 5 of everything: the test walks to a second page of every stream.
    const api = await apis.serve({ dataset: { locations: 8 } });
    const definition = shopConnectorDefinition({ baseUrl: api.url, pageSize: 5 });
    const report = await testConnector(definition, CONFIG, LOCAL);
    expect(report.verdict, renderTestReport(report)).toBe('pass');
    expect(report.streams.map((stream) => [stream.stream, stream.verdict])).toEqual(SHOP_STREAMS.map((stream) => [stream, 'pass']));

    const refused = await testConnector(definition, { apiKey: 'wrong' }, LOCAL);
    expect(refused.verdict).toBe('fail');
    expect(refused.auth.ok).toBe(false);
  });

  it('with auth oauth2RefreshToken, reads with a refresh token the server rotates, handing each new one to onConfigUpdate', async () => {
    const initial = 'rt-shop-initial-7d1a';
    const api = await apis.serve({ auth: { kind: 'oauth2RefreshToken', clientId: 'shop-client', clientSecret: 'shop-secret-3e9b', refreshToken: initial, rotate: true } });
    const config = { clientId: 'shop-client', clientSecret: 'shop-secret-3e9b', refreshToken: initial };
    const updates: Array<[string, string]> = [];
    const connector = apis.keep(await compileConnector(shopConnectorDefinition({ baseUrl: api.url, auth: 'oauth2RefreshToken' }), config, { ...LOCAL, onConfigUpdate: (key, value) => void updates.push([key, value]) }));
    const messages = await collect(connector.read('locations'));
    expect(ofType(messages, 'failure')).toEqual([]);
    expect(sortedStrings(remoteIds(messages))).toEqual(sortedStrings(api.data.locations.map((record) => record.id)));
    expect(api.tokenRequests).toBe(1);
    expect(updates).toEqual([['refreshToken', api.refreshToken]]);
    expect(api.refreshToken).not.toBe(initial);
    // The bearer config is not this connector's: compiling with it is refused, naming the missing clientId.
    await expect(compileConnector(shopConnectorDefinition({ baseUrl: api.url, auth: 'oauth2RefreshToken' }), CONFIG, LOCAL)).rejects.toThrow(/clientId/);
  });

  it('reads every stream in full: one record per native record, no failures, unknown stock stays null', async () => {
    const api = await apis.serve({ dataset: { orders: 250, customers: 40, products: 30 } });
    const connector = await connect(api);
    for (const stream of SHOP_STREAMS) {
      const messages = await collect(connector.read(stream));
      expect(ofType(messages, 'failure'), stream).toEqual([]);
      const ids = remoteIds(messages);
      expect(new Set(ids).size, stream).toBe(ids.length);
      expect(sortedStrings(ids), stream).toEqual(sortedStrings(api.data[stream].map((record) => record.id)));
      expect(ofType(messages, 'page'), stream).toHaveLength(Math.max(1, Math.ceil(ids.length / 100)));
    }
    expect(api.requests.every((request) => request.query['limit'] === '100' && request.query['include_deleted'] === 'true')).toBe(true);

    const levels = new Map(api.data.stock_levels.map((level) => [level.id, level]));
    const stock = events(await collect(connector.read('stock_levels')));
    expect(stock.some((event) => event.data['available'] === null)).toBe(true);
    expect(stock.some((event) => event.data['available'] === 0)).toBe(true);
    for (const { data } of stock) {
      const native = levels.get((data['remote'] as { id: string }).id) as StockLevel;
      expect(data).toMatchObject({ quantity: native.on_hand, available: native.available, committed: native.committed, incoming: native.incoming, reserved: null });
    }
  });

  it('reads only what changed since the stored cursor (minus the lookback), in one request', async () => {
    const api = await apis.serve({ dataset: { orders: 250, customers: 40, products: 30 } });
    const connector = await connect(api);
    const state = finalState(await collect(connector.read('orders')));
    const cursor = newest(api.data.orders);
    expect(state).toEqual({ partitions: { '': { cursor: iso(cursor) } } });

    // updated_since is inclusive, so the overlap holds at least the newest order, plus any within the lookback.
    const since = cursor - SHOP_LOOKBACK_SECONDS * 1000;
    const overlap = api.data.orders.filter((order) => Date.parse(order.updated_at) >= since).map((order) => order.id);
    expect(overlap.length).toBeGreaterThan(0);
    const touched = api.data.orders.filter((order) => !overlap.includes(order.id)).slice(0, 3).map((order) => order.id);
    const stamp = api.touch('orders', touched);
    api.resetRequests();

    const second = await collect(connector.read('orders', { state }));
    expect(sortedStrings(remoteIds(second))).toEqual(sortedStrings([...touched, ...overlap]));
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.query['updated_since']).toBe(iso(since));
    expect(finalState(second)).toEqual({ partitions: { '': { cursor: iso(Date.parse(stamp)) } } });
  });

  it('reads a deleted record as a tombstone: deleted, stamped with the deletion time', async () => {
    const api = await apis.serve({ dataset: { customers: 40 } });
    const connector = await connect(api);
    const state = finalState(await collect(connector.read('customers')));
    const gone = api.data.customers[7];
    if (!gone) throw new Error('the dataset has fewer than 8 customers');
    const deletedAt = api.remove('customers', [gone.id]);

    const changed = events(await collect(connector.read('customers', { state })));
    const tombstones = changed.filter((event) => event.data['deleted'] === true);
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]).toMatchObject({
      type: 'commerce.customer.deleted',
      data: { remote: { id: String(gone.id) }, deleted: true, updatedAt: deletedAt, email: gone.email },
    });
  });
});
