// Every pagination kind of the DSL, against testkit's routes of that style: each reads every record of a resource
// exactly once with a small page size, stops where the API says the records end, and sends no request too many.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileConnector, type Connector } from '../src/index.ts';
import {
  CUSTOMER_MAPPING,
  collect,
  definition,
  local,
  ofType,
  raws,
  readError,
  remoteIds,
  sortedStrings,
  startTestApi,
  type TestApi,
} from './support.ts';

type Json = Record<string, unknown>;

const PAGE = 7;
const query = (name: string) => ({ in: 'query', name });

let api: TestApi;
const open: Connector[] = [];

beforeAll(async () => {
  // 23 customers: pages of 7, 7, 7 and 2. 21 contacts: exactly three full pages.
  api = await startTestApi({ seed: 7, dataset: { customers: 23, contacts: 21 } });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((connector) => connector.close()));
  api.resetRequests();
});
afterAll(() => api.close());

async function connect(streams: Json, extra: Json = {}, options = {}): Promise<Connector> {
  const connector = await compileConnector(definition(streams, extra), {}, local(api, options));
  open.push(connector);
  return connector;
}

/** A stream of one pagination kind over testkit customers. */
const kinds: Record<string, { path: string; records?: string; pagination: Json }> = {
  cursorBody: {
    path: '/cursor/customers',
    records: 'data',
    pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: query('cursor'), stopWhen: '$not(has_more)', pageSize: { param: query('limit'), value: PAGE } },
  },
  cursorHeader: {
    path: '/cursor-header/customers',
    pagination: { kind: 'cursor', cursor: { from: 'header', path: 'X-Next-Cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: PAGE } },
  },
  offset: {
    path: '/offset/customers',
    records: 'items',
    pagination: { kind: 'offset', offsetParam: query('offset'), limitParam: query('limit'), limit: PAGE, total: { from: 'body', path: 'total' } },
  },
  page: {
    path: '/page/customers',
    records: 'results',
    pagination: { kind: 'page', pageParam: query('page'), pageSize: { param: query('per_page'), value: PAGE }, totalPages: { from: 'body', path: 'total_pages' } },
  },
  link: {
    path: '/link/customers',
    pagination: { kind: 'link', rel: 'next', pageSize: { param: query('per_page'), value: PAGE } },
  },
  nextUrl: {
    path: '/next-url/customers',
    records: 'records',
    pagination: { kind: 'nextUrl', path: 'next', pageSize: { param: query('limit'), value: PAGE } },
  },
  none: {
    path: '/all/customers',
    records: 'customers',
    pagination: { kind: 'none' },
  },
};

function stream(kind: keyof typeof kinds, canonical: boolean): Json {
  const spec = kinds[kind] as (typeof kinds)[string];
  return {
    request: { path: spec.path },
    ...(spec.records ? { records: { path: spec.records } } : {}),
    primaryKey: ['id'],
    pagination: spec.pagination,
    ...(canonical ? { canonical: 'commerce.customer@1', mapping: CUSTOMER_MAPPING } : {}),
  };
}

describe.each([
  ['canonical', true],
  ['raw', false],
] as const)('every pagination kind reads every record exactly once (%s streams)', (_label, canonical) => {
  it.each(Object.keys(kinds))('%s', async (kind) => {
    const connector = await connect({ customers: stream(kind, canonical) });
    const messages = await collect(connector.read('customers'));

    const ids = remoteIds(messages);
    expect(ids).toHaveLength(api.data.customers.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(sortedStrings(api.data.customers.map((customer) => customer.id)));
    expect(ofType(messages, 'failure')).toEqual([]);
    expect(ofType(messages, canonical ? 'raw' : 'record')).toEqual([]);

    const pages = ofType(messages, 'page');
    const expectedPages = kind === 'none' ? 1 : Math.ceil(api.data.customers.length / PAGE);
    expect(pages).toHaveLength(expectedPages);
    // One request per page: nothing past the end, nothing retried.
    expect(api.count({ path: (kinds[kind] as (typeof kinds)[string]).path })).toBe(expectedPages);
    expect(pages.map((page) => page.records)).toEqual(kind === 'none' ? [23] : [7, 7, 7, 2]);
    expect(ofType(messages, 'end')).toEqual([{ type: 'end', stream: 'customers', partition: '', pages: expectedPages, reason: 'exhausted', observations: [] }]);
  });
});

describe('loop detection belongs to one walk through one partition', () => {
  it.each(['cursorBody', 'cursorHeader', 'link', 'nextUrl'])('%s: one connector reads the same stream again and again', async (kind) => {
    const connector = await connect({ customers: stream(kind, false) });
    for (let run = 0; run < 3; run += 1) {
      const ids = remoteIds(await collect(connector.read('customers')));
      expect(ids).toHaveLength(23);
    }
  });

  it('partitions that meet the same cursors each read to their end', async () => {
    // The partition value goes to a parameter the API ignores: both partitions walk the same cursors.
    const spec = { ...stream('cursorBody', false), request: { path: '/cursor/customers', query: { x: '{{ $partition }}' } }, partitions: { kind: 'list', values: ['a', 'b'] } };
    const connector = await connect({ customers: spec });
    const messages = await collect(connector.read('customers'));
    expect(ofType(messages, 'end').map((end) => [end.partition, end.reason])).toEqual([
      ['a', 'exhausted'],
      ['b', 'exhausted'],
    ]);
    expect(remoteIds(messages)).toHaveLength(46);
  });
});

describe('stopping at the end the API reports', () => {
  it('offset with totalPath stops when the offset reaches the total (no empty extra page)', async () => {
    const connector = await connect({
      contacts: { request: { path: '/offset/contacts' }, records: { path: 'items' }, primaryKey: ['id'], pagination: { kind: 'offset', offsetParam: query('offset'), limitParam: query('limit'), limit: PAGE, total: { from: 'body', path: 'total' } } },
    });
    const ids = remoteIds(await collect(connector.read('contacts')));
    expect(ids.sort()).toEqual(sortedStrings(api.data.contacts.map((contact) => contact.id)));
    expect(api.requests.map((request) => request.query['offset'])).toEqual(['0', '7', '14']);
  });

  it('offset without totalPath stops at the first empty page', async () => {
    const connector = await connect({
      contacts: { request: { path: '/offset/contacts' }, records: { path: 'items' }, primaryKey: ['id'], pagination: { kind: 'offset', offsetParam: query('offset'), limitParam: query('limit'), limit: PAGE } },
    });
    const ids = remoteIds(await collect(connector.read('contacts')));
    expect(ids).toHaveLength(21);
    expect(api.requests.map((request) => request.query['offset'])).toEqual(['0', '7', '14', '21']);
  });

  it('page with totalPagesPath stops after the last page', async () => {
    const connector = await connect({
      contacts: { request: { path: '/page/contacts' }, records: { path: 'results' }, primaryKey: ['id'], pagination: { kind: 'page', pageParam: query('page'), pageSize: { param: query('per_page'), value: PAGE }, totalPages: { from: 'body', path: 'total_pages' } } },
    });
    const ids = remoteIds(await collect(connector.read('contacts')));
    expect(new Set(ids).size).toBe(21);
    expect(api.requests.map((request) => request.query['page'])).toEqual(['1', '2', '3']);
    expect(api.requests.every((request) => request.query['per_page'] === String(PAGE))).toBe(true);
  });

  it('a cursor stream sends the cursor the API gave, and the page size on every page', async () => {
    const connector = await connect({ customers: stream('cursorBody', false) });
    await collect(connector.read('customers'));
    const sent = api.requests.map((request) => request.query);
    expect(sent[0]).toEqual({ limit: String(PAGE) });
    expect(sent.slice(1).every((query) => query['limit'] === String(PAGE) && typeof query['cursor'] === 'string')).toBe(true);
    expect(new Set(sent.map((query) => query['cursor'])).size).toBe(sent.length);
  });
});

describe('body formats', () => {
  it('reads JSON Lines (http.format jsonl), paged by a header cursor', async () => {
    const connector = await connect(
      { customers: { request: { path: '/jsonl/customers' }, primaryKey: ['id'], pagination: { kind: 'cursor', cursor: { from: 'header', path: 'x-next-cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: PAGE } } } },
      { http: { baseUrl: 'https://api.example.test', format: 'jsonl' } },
    );
    const messages = await collect(connector.read('customers'));
    const records = raws(messages);
    expect(records.map((record) => record['id']).sort((a, b) => Number(a) - Number(b))).toEqual(api.data.customers.map((customer) => customer.id).sort((a, b) => a - b));
    // JSON Lines keep JSON types: nested values stay objects.
    expect(records.find((record) => record['id'] === api.data.customers[0]?.id)).toEqual(JSON.parse(JSON.stringify(api.data.customers[0])));
    expect(ofType(messages, 'page')).toHaveLength(4);
  });

  it('reads CSV (http.format csv) with a header row, quoting and nested values as text', async () => {
    const connector = await connect(
      { customers: { request: { path: '/csv/customers' }, primaryKey: ['id'], pagination: { kind: 'cursor', cursor: { from: 'header', path: 'X-Next-Cursor' }, param: query('cursor'), pageSize: { param: query('limit'), value: PAGE } } } },
      { http: { baseUrl: 'https://api.example.test', format: 'csv' } },
    );
    const messages = await collect(connector.read('customers'));
    const records = raws(messages);
    expect(sortedStrings(records.map((record) => record['id']))).toEqual(sortedStrings(api.data.customers.map((customer) => customer.id)));
    for (const customer of api.data.customers) {
      const row = records.find((record) => record['id'] === String(customer.id)) as Json;
      expect(row['email']).toBe(customer.email);
      expect(row['updated_at']).toBe(customer.updated_at);
      // null is an empty field; nested values are JSON text.
      expect(row['note']).toBe(customer.note ?? '');
      expect(JSON.parse(row['addresses'] as string)).toEqual(customer.addresses);
    }
    expect(ofType(messages, 'page')).toHaveLength(4);
  });

  it('reads a whole JSON Lines collection in one response (no pagination)', async () => {
    const connector = await connect({ customers: { request: { path: '/jsonl/customers' }, primaryKey: ['id'] } }, { http: { baseUrl: 'https://api.example.test', format: 'jsonl' } });
    const messages = await collect(connector.read('customers'));
    expect(raws(messages)).toHaveLength(23);
    expect(ofType(messages, 'page')).toHaveLength(1);
  });
});

describe('search streams (POST with a JSON body)', () => {
  const search = (filters: Json[]) => ({
    request: { method: 'POST', path: '/search/customers', search: true, body: { filters } },
    records: { path: 'results' },
    primaryKey: ['id'],
    pagination: { kind: 'cursor', cursor: { from: 'body', path: 'next_cursor' }, param: { in: 'body', name: 'cursor' }, pageSize: { param: { in: 'body', name: 'limit' }, value: 4 } },
  });

  it('pages by a cursor in the body and reads every match once', async () => {
    const connector = await connect({ customers: search([{ field: 'state', op: 'eq', value: 'enabled' }]) });
    const messages = await collect(connector.read('customers'));
    const expected = api.data.customers.filter((customer) => customer.state === 'enabled');
    expect(expected.length).toBeGreaterThan(4);
    const ids = remoteIds(messages);
    expect(ids.sort()).toEqual(sortedStrings(expected.map((customer) => customer.id)));
    expect(new Set(ids).size).toBe(ids.length);

    const requests = api.requests;
    expect(requests.every((request) => request.method === 'POST' && request.path === '/search/customers')).toBe(true);
    expect(requests).toHaveLength(Math.ceil(expected.length / 4));
    const bodies = requests.map((request) => JSON.parse(request.body ?? '{}') as Json);
    expect(bodies[0]).toEqual({ filters: [{ field: 'state', op: 'eq', value: 'enabled' }], limit: 4 });
    for (const body of bodies.slice(1)) {
      expect(body['limit']).toBe(4);
      expect(typeof body['cursor']).toBe('string');
      expect(body['filters']).toEqual([{ field: 'state', op: 'eq', value: 'enabled' }]);
    }
    expect(requests.every((request) => request.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('is allowed in read-only mode', async () => {
    const connector = await connect({ customers: search([]) }, {}, { readOnly: true });
    const ids = remoteIds(await collect(connector.read('customers')));
    expect(ids).toHaveLength(23);
  });
});

describe('a closed connector', () => {
  it('refuses to read with ENGINE_CLOSED and sends nothing', async () => {
    const connector = await connect({ customers: { request: { path: kinds['offset']?.path }, records: { path: 'items' }, primaryKey: ['id'], pagination: kinds['offset']?.pagination } });
    await connector.close();
    const error = await readError(connector.readNative('customers'));
    expect(error.code).toBe('ENGINE_CLOSED');
    expect(error.message).toContain('/offset/customers');
    expect(api.requests).toHaveLength(0);
  });
});
