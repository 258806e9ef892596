// Native → canonical mapping on real responses: events that validate end to end, records that fail reported
// with their remote id and the failing pointers (never dropped) while the read goes on, and null kept as null.
import { validateCanonicalEvent } from '@pullpush/canonical';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileConnector, type Connector } from '../src/index.ts';
import { CUSTOMER_MAPPING, collect, definition, events, local, ofType, startTestApi, type TestApi } from './support.ts';

type Json = Record<string, unknown>;

let api: TestApi;
const open: Connector[] = [];

beforeAll(async () => {
  api = await startTestApi({ seed: 5, dataset: { customers: 25, products: 12, locations: 3 } });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((connector) => connector.close()));
});
afterAll(() => api.close());

const paging = { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'query', name: 'cursor' }, pageSize: { param: { in: 'query', name: 'limit' }, value: 10 } };

function customers(mapping: Json, extra: Json = {}): Json {
  return { customers: { canonical: 'commerce.customer@1', request: { path: '/cursor/customers' }, records: { path: 'data' }, primaryKey: ['id'], pagination: paging, mapping, ...extra } };
}

async function connect(streams: Json): Promise<Connector> {
  const connector = await compileConnector(definition(streams), {}, local(api, { connection: 'main' }));
  open.push(connector);
  return connector;
}

/** The order list routes serve: oldest change first, ties by id. */
const served = () => [...api.data.customers].sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id);

const withFields = (fields: Json) => ({ ...CUSTOMER_MAPPING, fields: { ...CUSTOMER_MAPPING.fields, ...fields } });

describe('canonical events', () => {
  it('every customer becomes a commerce.customer@1 event that validates end to end', async () => {
    const connector = await connect(customers({ ...CUSTOMER_MAPPING, keepRaw: true }));
    const messages = await collect(connector.read('customers'));
    expect(ofType(messages, 'failure')).toEqual([]);
    const all = events(messages);
    expect(all).toHaveLength(api.data.customers.length);
    for (const event of all) expect(validateCanonicalEvent(event)).toEqual([]);

    const native = api.data.customers[0];
    const event = all.find((candidate) => (candidate.data['remote'] as Json)['id'] === String(native?.id));
    expect(event).toMatchObject({
      specversion: '1.0',
      source: 'pullpush://testkit/main/customers',
      type: 'commerce.customer.updated',
      canonicaltype: 'commerce.customer',
      canonicalversion: 1,
      time: native?.updated_at,
    });
    expect(event?.data).toMatchObject({
      remote: { connector: 'testkit', connection: 'main', stream: 'customers', id: String(native?.id) },
      email: native?.email,
      firstName: native?.first_name,
      deleted: false,
      totalSpent: { amount: native?.total_spent, currency: native?.currency },
      raw: JSON.parse(JSON.stringify(native)),
    });
    expect(event?.subject).toBe(event?.data['id']);
    // Events are deterministic: the same record read again gives the same event id.
    const again = events(await collect(connector.read('customers')));
    expect(again.map((candidate) => candidate.id)).toEqual(all.map((candidate) => candidate.id));
  });

  it('a page of more records than are mapped at a time: every one in order, then the checkpoint; a record limit inside it', async () => {
    // Records are mapped a hundred at a time before they are handed out: a page of 250 is three such runs.
    const big = await startTestApi({ seed: 5, dataset: { customers: 250 }, pagination: { maxPageSize: 250 } });
    try {
      const streams = customers(CUSTOMER_MAPPING, { pagination: { ...paging, pageSize: { ...paging.pageSize, value: 250 } } });
      const connector = await compileConnector(definition(streams), {}, local(big, { connection: 'main' }));
      open.push(connector);
      const order = [...big.data.customers].sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id).map((customer) => String(customer.id));
      const messages = await collect(connector.read('customers'));
      expect(messages.map((message) => message.type)).toEqual(['page', ...Array(250).fill('record'), 'state', 'end']);
      expect(events(messages).map((event) => (event.data['remote'] as Json)['id'])).toEqual(order);
      const limited = await collect(connector.read('customers', { limits: { maxRecords: 130 } }));
      expect(events(limited).map((event) => (event.data['remote'] as Json)['id'])).toEqual(order.slice(0, 130));
      expect(ofType(limited, 'end')).toMatchObject([{ reason: 'record-limit', pages: 1 }]);
      // A consumer may stop inside the second hundred: it gets what it asked for, and the read ends without an error.
      let seen = 0;
      for await (const message of connector.read('customers')) if (message.type === 'record' && (seen += 1) === 150) break;
      expect(seen).toBe(150);
    } finally {
      await big.close();
    }
  });

  it('a stream without a canonical type yields raw records; readNative does too for a canonical one', async () => {
    const connector = await connect(customers(CUSTOMER_MAPPING));
    const messages = await collect(connector.readNative('customers'));
    expect(ofType(messages, 'record')).toEqual([]);
    expect(ofType(messages, 'raw').map((message) => message.record)).toEqual(JSON.parse(JSON.stringify(served())));
  });

  it('records.filter drops records before mapping; pages count what they kept', async () => {
    const connector = await connect(customers(CUSTOMER_MAPPING, { records: { path: 'data', filter: "state = 'enabled'" } }));
    const messages = await collect(connector.read('customers'));
    const enabled = api.data.customers.filter((customer) => customer.state === 'enabled');
    expect(events(messages).map((event) => (event.data['remote'] as Json)['id']).sort()).toEqual(enabled.map((customer) => String(customer.id)).sort());
    expect(ofType(messages, 'page').reduce((sum, page) => sum + page.records, 0)).toBe(enabled.length);
    // The filter does not stop pagination early: every page was read.
    expect(ofType(messages, 'page')).toHaveLength(3);
  });
});

describe('records that do not map or validate', () => {
  it('each yields a failure with its remote id and the failing pointers; the read goes on', async () => {
    const connector = await connect(
      customers(
        withFields({
          ordersCount: { expr: 'id % 4 = 0 ? -1 : orders_count' },
          email: { expr: "id % 5 = 0 ? 'not an email' : email" },
        }),
      ),
    );
    const messages = await collect(connector.read('customers', { withNative: true }));
    const failures = ofType(messages, 'failure');
    const bad = api.data.customers.filter((customer) => customer.id % 4 === 0 || customer.id % 5 === 0);
    expect(bad.length).toBeGreaterThan(2);
    expect(failures.map((failure) => failure.remoteId).sort()).toEqual(bad.map((customer) => String(customer.id)).sort());
    for (const failure of failures) {
      const id = Number(failure.remoteId);
      const pointers = failure.issues.map((issue) => issue.pointer);
      expect(pointers.includes('/ordersCount')).toBe(id % 4 === 0);
      expect(pointers.includes('/email')).toBe(id % 5 === 0);
      expect(failure.message).toContain('commerce.customer@1');
      expect((failure.native as Json)['id']).toBe(id);
    }
    // Nothing dropped: every record is an event or a failure, and the read reached its end.
    expect(events(messages).length + failures.length).toBe(api.data.customers.length);
    for (const event of events(messages)) expect(validateCanonicalEvent(event)).toEqual([]);
    expect(ofType(messages, 'end')[0]?.reason).toBe('exhausted');
    // Failures come in the order of their records, between the page and its checkpoint.
    const order = messages.filter((message) => message.type === 'record' || message.type === 'failure').map((message) => (message.type === 'failure' ? message.remoteId : (message.event.data['remote'] as Json)['id']));
    expect(order).toEqual(served().map((customer) => String(customer.id)));
  });

  it('a mapping expression that throws is a failure pointing at the canonical field', async () => {
    const connector = await connect(customers(withFields({ note: { expr: "id % 3 = 0 ? $error('no note for ' & $string(id)) : note" } })));
    const messages = await collect(connector.read('customers'));
    const failures = ofType(messages, 'failure');
    const bad = api.data.customers.filter((customer) => customer.id % 3 === 0);
    expect(failures.map((failure) => failure.remoteId).sort()).toEqual(bad.map((customer) => String(customer.id)).sort());
    for (const failure of failures) {
      expect(failure.message).toContain(`no note for ${failure.remoteId}`);
      expect(failure.issues.map((issue) => issue.pointer)).toEqual(['/note']);
    }
    expect(events(messages)).toHaveLength(api.data.customers.length - bad.length);
  });

  it('a custom field whose expression throws fails at its /custom pointer', async () => {
    const connector = await connect(customers({ ...CUSTOMER_MAPPING, custom: { 'tier/level': { expr: "orders_count > 5 ? $error('tier unknown') : 'basic'" } } }));
    const messages = await collect(connector.read('customers'));
    const bad = api.data.customers.filter((customer) => customer.orders_count > 5);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.length).toBeLessThan(api.data.customers.length);
    const failures = ofType(messages, 'failure');
    expect(failures).toHaveLength(bad.length);
    for (const failure of failures) expect(failure.issues.map((issue) => issue.pointer)).toEqual(['/custom/tier~1level']);
    for (const event of events(messages)) expect(event.data['custom']).toEqual({ 'tier/level': 'basic' });
  });

  it('a record without a value at its primary key fails at /remote/id', async () => {
    const connector = await connect(customers(CUSTOMER_MAPPING, { primaryKey: ['locale'] }));
    const messages = await collect(connector.read('customers'));
    const withoutLocale = api.data.customers.filter((customer) => customer.locale === null);
    expect(withoutLocale.length).toBeGreaterThan(0);
    const failures = ofType(messages, 'failure');
    expect(failures).toHaveLength(withoutLocale.length);
    for (const failure of failures) {
      expect(failure.remoteId).toBe('');
      expect(failure.issues).toEqual([{ pointer: '/remote/id', message: 'primary key missing', rule: 'key' }]);
    }
  });
});

describe('null means unknown', () => {
  it('a null stock quantity stays null in the event; a real 0 stays 0', async () => {
    const connector = await connect({
      stock: {
        canonical: 'commerce.stocklevel@1',
        request: { path: '/cursor/stock_levels' },
        records: { path: 'data' },
        primaryKey: ['id'],
        pagination: { ...paging, pageSize: { param: { in: 'query', name: 'limit' }, value: 50 } },
        mapping: {
          fields: {
            createdAt: { const: null },
            updatedAt: { path: 'updated_at' },
            sku: { path: 'sku' },
            locationId: { expr: '$string(location_id)' },
            productId: { expr: '$string(product_id)' },
            variantId: { expr: '$string(variant_id)' },
            quantity: { path: 'on_hand' },
            available: { path: 'available' },
            committed: { path: 'committed' },
            incoming: { path: 'incoming' },
          },
        },
      },
    });
    const messages = await collect(connector.read('stock', { withNative: true }));
    expect(ofType(messages, 'failure')).toEqual([]);
    const levels = ofType(messages, 'record');
    expect(levels).toHaveLength(api.data.stock_levels.length);
    let nulls = 0;
    let zeros = 0;
    for (const { event, native } of levels) {
      expect(validateCanonicalEvent(event)).toEqual([]);
      const source = native as Json;
      expect(event.data['quantity']).toBe(source['on_hand']);
      expect(event.data['available']).toBe(source['available']);
      // Not mapped: null ("unknown"), present, never 0 or missing.
      expect(event.data).toHaveProperty('reserved', null);
      if (source['on_hand'] === null) {
        nulls += 1;
        expect(event.data).toHaveProperty('quantity', null);
      }
      if (source['on_hand'] === 0) zeros += 1;
    }
    expect(nulls).toBeGreaterThan(0);
    expect(zeros).toBeGreaterThan(0);
  });
});
