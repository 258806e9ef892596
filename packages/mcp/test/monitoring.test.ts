// Monitoring tools through the real MCP client: system_health before anything exists (no database is created by
// looking) and after a sync (workspace counts, database tables, per-tool statistics); event_stats against the
// records a sync of a real testkit API stored, per table, source and run, with a connector filter.
import { existsSync } from 'node:fs';
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from './support.ts';

const TOKEN = 'sk_canary_mon_0c55b7e2';
const DEFINITION = 'testkit-shop';

const apis: TestApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

interface Health {
  server: { name: string; version: string; node: string; uptimeSeconds: number };
  workspace: { path: string; definitions: number; connections: number; flows: number; reports: number };
  database: { path: string; exists: boolean; sizeBytes: number; tables: Array<{ table: string; records: number; deleted: number }>; runs: number; failedRecords: number };
  activeRuns: unknown[];
  tools: Array<{ name: string; calls: number; errors: number; meanMs: number }>;
}

describe('system_health', () => {
  it('reports the server, the workspace, the database and per-tool statistics', async () => {
    const api = await startTestApi({ seed: 4, auth: { kind: 'bearer', token: TOKEN }, dataset: { locations: 3, products: 4, customers: 7, orders: 23 } });
    apis.push(api);
    const { ok, fails, client, server } = await connect();
    await client.listTools();
    const workspace = server.runtime.workspace;

    const empty = await ok<Health>('system_health', {});
    expect(empty.server).toMatchObject({ name: 'pullpush', version: '0.0.0', node: process.version });
    expect(empty.workspace).toEqual({ path: workspace.root, definitions: 0, connections: 0, flows: 0, reports: 0 });
    expect(empty.database).toEqual({ path: workspace.databasePath, exists: false, sizeBytes: 0, tables: [], runs: 0, failedRecords: 0 });
    expect(existsSync(workspace.databasePath)).toBe(false);
    expect(await ok('event_stats', {})).toEqual({ tables: [], runs: [], failedRecords: 0 });

    workspace.saveDefinition(DEFINITION, shopConnectorDefinition({ baseUrl: api.url }) as unknown as Record<string, unknown>);
    await ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    await ok('test_connector', { connection: 'main', streams: ['locations'] });
    await ok('run_sync', { connection: 'main', streams: ['orders', 'customers'] });
    await fails('get_connection', { connection: 'nope' });

    const health = await ok<Health>('system_health', {});
    expect(health.workspace).toMatchObject({ definitions: 1, connections: 1, flows: 0, reports: 1 });
    expect(health.database).toMatchObject({ exists: true, runs: 1, failedRecords: 0 });
    expect(health.database.sizeBytes).toBeGreaterThan(0);
    expect(health.database.tables).toEqual([
      { table: 'commerce_customer', records: 7, deleted: 0 },
      { table: 'commerce_order', records: 23, deleted: 0 },
    ]);
    expect(health.activeRuns).toEqual([]);
    const tools = Object.fromEntries(health.tools.map((tool) => [tool.name, tool]));
    expect(tools['system_health']).toMatchObject({ calls: 1, errors: 0 });
    expect(tools['event_stats']).toMatchObject({ calls: 1, errors: 0 });
    expect(tools['get_connection']).toMatchObject({ calls: 1, errors: 1 });
    expect(tools['run_sync']?.calls).toBe(1);
    expect(tools['run_sync']?.meanMs).toBeGreaterThan(0);
    expect(health.server.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('event_stats', () => {
  it('counts records and tombstones per table and source, stream totals of the last runs, and failed records', async () => {
    const api = await startTestApi({ seed: 4, auth: { kind: 'bearer', token: TOKEN }, dataset: { locations: 3, products: 4, customers: 7, orders: 23 } });
    apis.push(api);
    const { ok, client, server } = await connect();
    await client.listTools();
    const definition = shopConnectorDefinition({ baseUrl: api.url, pageSize: 10 }) as unknown as { streams: Record<string, { mapping: { fields: Record<string, unknown> } }> };
    server.runtime.workspace.saveDefinition(DEFINITION, definition as unknown as Record<string, unknown>);
    await ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    await ok('run_sync', { connection: 'main', streams: ['orders', 'customers'] });

    // Two customers deleted, then a run whose orders mapping fails for every fifth id.
    const removed = api.data.customers.slice(0, 2).map((customer) => customer.id);
    api.remove('customers', removed);
    (definition.streams['orders'] as { mapping: { fields: Record<string, unknown> } }).mapping.fields['number'] = { expr: 'id % 5 = 0 ? 5 : name' };
    server.runtime.workspace.saveDefinition(DEFINITION, definition as unknown as Record<string, unknown>);
    const bad = api.data.orders.filter((order) => order.id % 5 === 0).length;
    const second = await ok<{ runId: string }>('run_sync', { connection: 'main', streams: ['customers', 'orders'], full: true });

    const stats = await ok<{
      tables: Array<{ table: string; records: number; deleted: number; sources: Array<{ connector: string; connection: string; stream: string; records: number; deleted: number }> }>;
      runs: Array<{ runId: string; status: string; streams: Array<{ stream: string; records: number; inserted: number; updated: number; unchanged: number; deleted: number; failed: number }>; totals: { records: number; failed: number } }>;
      failedRecords: number;
    }>('event_stats', {});
    expect(stats.tables).toEqual([
      { table: 'commerce_customer', records: 7, deleted: 2, sources: [{ connector: DEFINITION, connection: 'main', stream: 'customers', records: 7, deleted: 2 }] },
      { table: 'commerce_order', records: 23, deleted: 0, sources: [{ connector: DEFINITION, connection: 'main', stream: 'orders', records: 23, deleted: 0 }] },
    ]);
    expect(stats.failedRecords).toBe(bad);
    expect(stats.runs.map((run) => run.status)).toEqual(['partial', 'succeeded']);
    expect(stats.runs[0]).toMatchObject({ runId: second.runId, totals: { records: 30, failed: bad } });
    expect(stats.runs[0]?.streams).toEqual([
      expect.objectContaining({ stream: 'customers', records: 7, deleted: 2, unchanged: 5, inserted: 0, updated: 0, failed: 0 }),
      expect.objectContaining({ stream: 'orders', records: 23, failed: bad, unchanged: 23 - bad }),
    ]);
    expect((await ok<{ runs: unknown[] }>('event_stats', { runs: 1 })).runs).toHaveLength(1);
    expect(await ok('event_stats', { definition: 'other' })).toEqual({ tables: [], runs: [], failedRecords: 0 });
    expect((await ok<{ tables: unknown[] }>('event_stats', { definition: DEFINITION })).tables).toHaveLength(2);
  });
});
