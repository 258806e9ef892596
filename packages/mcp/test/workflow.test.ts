// One scripted session, as an assistant would run it, with tools only: create a definition for a testkit API
// (with a mistake in it), validate it, fix the error the validator reported with the patch it suggests, test
// it read-only, create a connection, run a sync and read its status.
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, expect, it } from 'vitest';
import { connect } from './support.ts';

const TOKEN = 'shop-api-key-7f3a9c2e5d';
let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
});

interface Problem {
  code: string;
  pointer: string;
  suggestion?: string;
}

it('create → validate → fix → test → connect → sync → status, through tools only', async () => {
  api = await startTestApi({ seed: 21, dataset: { orders: 120, customers: 30, products: 10, locations: 6 }, auth: { kind: 'bearer', token: TOKEN } });
  const { ok } = await connect();

  // The draft an assistant wrote: `paginaton` in the orders stream. Pages of 5: every stream has a second page,
  // so the test run sees pagination work.
  const draft = shopConnectorDefinition({ baseUrl: api.url, pageSize: 5 }) as unknown as { streams: Record<string, Record<string, unknown>> };
  const orders = draft.streams['orders'] as Record<string, unknown>;
  orders['paginaton'] = orders['pagination'];
  delete orders['pagination'];
  const created = await ok<{ id: string; revision: number; ok: boolean; errors: Problem[] }>('create_definition', { document: draft });
  expect(created).toMatchObject({ id: 'testkit-shop', revision: 1, ok: false });

  const report = await ok<{ ok: boolean; errors: Problem[] }>('validate_definition', { definition: 'testkit-shop' });
  expect(report.ok).toBe(false);
  const typo = report.errors.find((problem) => problem.code === 'DSL_UNKNOWN_KEY');
  expect(typo).toMatchObject({ pointer: '/streams/orders/paginaton', suggestion: 'pagination' });

  // The fix the validator points at: move the key to its suggested name.
  const fixed = await ok<{ revision: number; ok: boolean; errors: Problem[] }>('update_definition', {
    definition: 'testkit-shop',
    patch: [{ op: 'move', from: typo?.pointer, path: `/streams/orders/${typo?.suggestion}` }],
  });
  expect(fixed).toMatchObject({ revision: 2, ok: true, errors: [] });

  const tested = await ok<{ verdict: string; reportId: string }>('test_connector', { definition: 'testkit-shop', config: { apiKey: TOKEN }, maxRecords: 30 });
  expect(tested.verdict).toBe('pass');
  expect((await ok<{ reports: Array<{ id: string }> }>('list_test_reports', {})).reports.map((entry) => entry.id)).toContain(tested.reportId);

  const { connection } = await ok<{ connection: { name: string; config: Record<string, unknown> } }>('create_connection', { connection: 'main', definition: 'testkit-shop', config: { apiKey: TOKEN } });
  expect(connection.config['apiKey']).toBe('••••••');

  const synced = await ok<{ runId: string; status: string; summary: { totals: { records: number; inserted: number } } }>('run_sync', { connection: 'main' });
  expect(synced.status).toBe('succeeded');
  const expected = api.data.orders.length + api.data.customers.length + api.data.products.length + api.data.stock_levels.length + api.data.locations.length;
  expect(synced.summary.totals).toMatchObject({ records: expected, inserted: expected });

  const status = await ok<{ status: string; active: boolean; summary: { streams: Array<{ stream: string; records: number }> } }>('sync_status', { run: synced.runId });
  expect(status).toMatchObject({ status: 'succeeded', active: false });
  expect(status.summary.streams.find((stream) => stream.stream === 'orders')?.records).toBe(120);
});
