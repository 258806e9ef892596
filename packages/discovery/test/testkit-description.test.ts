// testkit's shop API publishes its OpenAPI description at /openapi.json. Discovery drafts a connector from it,
// and that draft reads the live API (not a mock) to the end, whatever auth the server is started with.
import { testConnector } from '@pullpush/engine';
import { startTestApi, type TestApiOptions } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { discover, draftConnector } from '../src/index.ts';

const LOCAL = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;

const cases: Array<{ auth: NonNullable<TestApiOptions['auth']>; config: Record<string, string>; kind: string }> = [
  { auth: { kind: 'bearer', token: 'tk-bearer-1' }, config: { accessToken: 'tk-bearer-1' }, kind: 'bearer' },
  { auth: { kind: 'apiKey', in: 'header', name: 'X-Shop-Key', value: 'tk-key-2' }, config: { apiKey: 'tk-key-2' }, kind: 'apiKey' },
  { auth: { kind: 'basic', username: 'shop', password: 'tk-pass-3' }, config: { username: 'shop', password: 'tk-pass-3' }, kind: 'basic' },
  { auth: { kind: 'oauth2ClientCredentials', clientId: 'shop-client', clientSecret: 'tk-secret-4' }, config: { clientId: 'shop-client', clientSecret: 'tk-secret-4' }, kind: 'oauth2ClientCredentials' },
];

describe("testkit's own OpenAPI description", () => {
  for (const { auth, config, kind } of cases) {
    it(`drafts a connector that reads the live shop API to the end (${kind})`, { timeout: 120_000 }, async () => {
      const api = await startTestApi({ auth, dataset: { orders: 120, customers: 30, products: 20 }, pagination: { maxPageSize: 25 } });
      try {
        const model = await discover({ url: `${api.url}/openapi.json`, network: LOCAL });
        const draft = draftConnector(model, { streams: model.listOperations.filter((operation) => !operation.parent).map((operation) => operation.id) });
        expect(draft.definition.auth.kind).toBe(kind);
        const report = await testConnector(draft.definition, config, { ...LOCAL, baseUrl: api.url, maxRecords: 1000, maxPages: 100 });
        expect(report.auth).toMatchObject({ ok: true, provesCredentials: true });
        for (const stream of report.streams) {
          expect(stream.failedRecords, `${stream.stream}: ${JSON.stringify(stream.failures)}`).toBe(0);
          expect(stream.pagination.stoppedBecause, stream.stream).toBe('exhausted');
        }
        const orders = report.streams.find((stream) => stream.stream === 'orders');
        expect(orders).toMatchObject({ canonical: 'commerce.order@1', records: 120, pages: 5 });
      } finally {
        await api.close();
      }
    });
  }

  it('describes the records it serves: every field of every served record is in the published schema, with its type', { timeout: 60_000 }, async () => {
    const api = await startTestApi({ dataset: { orders: 400 } });
    try {
      api.remove('orders', api.data.orders[0]?.id as number);
      const description = (await (await fetch(`${api.url}/openapi.json`)).json()) as { components: { schemas: Record<string, { properties: Record<string, { type: string | string[] }> }> } };
      for (const [resource, schema] of [['orders', 'Orders'], ['customers', 'Customers'], ['products', 'Products'], ['stock_levels', 'StockLevels'], ['locations', 'Locations']] as const) {
        const records: Array<Record<string, unknown>> = [];
        for (let cursor: string | null = ''; cursor !== null; ) {
          const page = (await (await fetch(`${api.url}/cursor/${resource}?limit=100&include_deleted=true${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { data: Array<Record<string, unknown>>; next_cursor: string | null };
          records.push(...page.data);
          cursor = page.next_cursor;
        }
        expect(records.length, resource).toBe(api.data[resource].length + (resource === 'orders' ? 1 : 0));
        const properties = description.components.schemas[schema]?.properties ?? {};
        for (const record of records) {
          for (const [field, value] of Object.entries(record)) {
            const declared = properties[field]?.type;
            expect(declared, `${resource}.${field}`).toBeDefined();
            const type = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
            const types = Array.isArray(declared) ? declared : [declared];
            expect(types.includes(type) || (type === 'integer' && types.includes('number')), `${resource}.${field}: ${type} not in ${types.join(', ')}`).toBe(true);
          }
        }
      }
    } finally {
      await api.close();
    }
  });
});
