// Flow delivery through the real MCP client: a stored flow from one testkit shop's customers to another's writes,
// both connections stored with their secrets sealed; run_flow delivers, the refused records wait in the dead-letter
// queue, dlq_clusters groups them with a hint, dlq_retry puts them back, and the next run delivers them. No result
// carries either secret. The first test runs twice: with the flow's store in the workspace (SQLite) and, when
// PULLPUSH_TEST_POSTGRES_URL names a server (always in CI), in PostgreSQL (the server's flowStore).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresStore } from '@pullpush/sync';
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect } from './support.ts';

const POSTGRES_URL = process.env['PULLPUSH_TEST_POSTGRES_URL'];
const prefix = `pullpush_mcp_${process.pid}_${Date.now().toString(36)}`;
/** The server's flow store: none (a SQLite file per flow in the workspace), or a PostgreSQL URL with a prefix of its own. */
const FLOW_STORES: Array<[string, string | undefined, boolean]> = [
  ['SQLite', undefined, true],
  ['PostgreSQL', POSTGRES_URL === undefined ? undefined : `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${prefix}`, POSTGRES_URL !== undefined],
];
afterAll(async () => {
  if (POSTGRES_URL === undefined) return;
  const store = new PostgresStore(POSTGRES_URL);
  for (const row of await store.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)', [prefix])) await store.query(`DROP SCHEMA IF EXISTS "${row.name}" CASCADE`);
  await store.close();
});

const SOURCE_TOKEN = 'sk_canary_src_71c2a9';
const CRM_TOKEN = 'sk_canary_crm_5b0e44';

const apis: TestApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

describe.each(FLOW_STORES)('preview_flow, run_flow and the dead-letter queue tools (flow store: %s)', (_store, flowStore, available) => {
  it.skipIf(!available)('previews a flow writing nothing, delivers it, clusters what was refused, and delivers it after dlq_retry', { timeout: 120_000 }, async () => {
    const source = await startTestApi({ seed: 41, dataset: { customers: 9 }, auth: { kind: 'bearer', token: SOURCE_TOKEN } });
    const crm = await startTestApi({
      seed: 7,
      dataset: { customers: 2 },
      auth: { kind: 'bearer', token: CRM_TOKEN },
      faults: [{ kind: 'status', status: 401, method: 'POST', route: '/customers', times: 2, body: { error: 'API key expired' } }],
    });
    apis.push(source, crm);
    const { ok, fails, client, server, dir } = await connect(flowStore === undefined ? {} : { flowStore });
    await client.listTools();
    server.runtime.workspace.saveDefinition('testkit-shop', shopConnectorDefinition({ baseUrl: source.url }) as unknown as Record<string, unknown>);
    server.runtime.workspace.saveDefinition('crm', { ...shopConnectorDefinition({ baseUrl: crm.url, writes: true }), id: 'crm' } as unknown as Record<string, unknown>);
    await ok('create_connection', { connection: 'shop', definition: 'testkit-shop', config: { apiKey: SOURCE_TOKEN } });
    await ok('create_connection', { connection: 'crm', definition: 'crm', config: { apiKey: CRM_TOKEN } });
    await ok('create_flow', {
      flow: { dsl: 'pullpush/flow/v1', id: 'shop-to-crm', source: { connector: 'testkit-shop', connection: 'shop', streams: ['customers'] }, destination: { kind: 'connector', connector: 'crm', connection: 'crm' } },
    });

    const preview = await ok<{ counts: Record<string, number> }>('preview_flow', { flow: 'shop-to-crm' });
    expect(preview.counts).toEqual({ create: 9, update: 0, delete: 0, unchanged: 0, skip: 0 });
    expect(crm.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    const first = await ok<{ status: string; delivery: { delivered: number; deadLettered: number } }>('run_flow', { flow: 'shop-to-crm' });
    expect(first).toMatchObject({ status: 'succeeded', delivery: { delivered: 7, deadLettered: 2 } });
    const { clusters } = await ok<{ clusters: Array<{ count: number; status: number; hint: string; signature: string }> }>('dlq_clusters', { flow: 'shop-to-crm' });
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ count: 2, status: 401, hint: expect.stringContaining('expired') });
    expect(await ok('dlq_list', { flow: 'shop-to-crm' })).toMatchObject({ total: 2 });
    expect(await fails('dlq_retry', { flow: 'shop-to-crm' })).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS' });
    expect(await ok('dlq_retry', { flow: 'shop-to-crm', signature: clusters[0]?.signature })).toEqual({ retried: 2 });

    const second = await ok<{ delivery: { delivered: number; deadLettered: number; pending: number } }>('run_flow', { flow: 'shop-to-crm' });
    expect(second.delivery).toMatchObject({ delivered: 2, deadLettered: 0, pending: 0 });
    expect(await ok('dlq_list', { flow: 'shop-to-crm' })).toMatchObject({ total: 0 });
    for (const customer of source.data.customers) expect(crm.data.customers.filter((entry) => entry.email === customer.email)).toHaveLength(1);
    // The destination drifts: a customer renamed there; reconcile_flow writes it back and leaves the rest.
    const drifted = crm.data.customers.find((entry) => entry.email === source.data.customers[0]?.email);
    if (!drifted) throw new Error('no delivered customer');
    crm.update('customers', drifted.id, { first_name: 'Drifted' });
    const reconciled = await ok<{ comparison: { counts: Record<string, number> }; delivery: { delivered: number } }>('reconcile_flow', { flow: 'shop-to-crm' });
    expect(reconciled.comparison.counts).toMatchObject({ update: 1, create: 0, unchanged: 8 });
    expect(reconciled.delivery).toMatchObject({ delivered: 1 });
    expect(crm.data.customers.find((entry) => entry.id === drifted.id)?.first_name).toBe(source.data.customers[0]?.first_name);
    const everything = JSON.stringify([first, clusters, second, reconciled]);
    expect(everything).not.toContain(SOURCE_TOKEN);
    expect(everything).not.toContain(CRM_TOKEN);
    // Where the flow's store is: a file in the workspace, or none there at all.
    expect(existsSync(join(dir, 'workspace', 'flows', 'shop-to-crm.db'))).toBe(flowStore === undefined);
    if (flowStore !== undefined) expect(everything).not.toContain(new URL(POSTGRES_URL as string).password);
  });
});

describe('flow modes, status and shadow runs', () => {

  it('pauses a flow, runs it in shadow, reports its status, and promotes a candidate revision only when confident', { timeout: 120_000 }, async () => {
    const source = await startTestApi({ seed: 43, dataset: { customers: 6 }, auth: { kind: 'bearer', token: SOURCE_TOKEN } });
    const crm = await startTestApi({ seed: 8, dataset: { customers: 2 }, auth: { kind: 'bearer', token: CRM_TOKEN } });
    apis.push(source, crm);
    const { ok, fails, client, server } = await connect();
    await client.listTools();
    const { workspace } = server.runtime;
    workspace.saveDefinition('testkit-shop', shopConnectorDefinition({ baseUrl: source.url }) as unknown as Record<string, unknown>);
    workspace.saveDefinition('crm', { ...shopConnectorDefinition({ baseUrl: crm.url, writes: true }), id: 'crm' } as unknown as Record<string, unknown>);
    await ok('create_connection', { connection: 'shop', definition: 'testkit-shop', config: { apiKey: SOURCE_TOKEN } });
    await ok('create_connection', { connection: 'crm', definition: 'crm', config: { apiKey: CRM_TOKEN } });
    await ok('create_flow', {
      flow: { dsl: 'pullpush/flow/v1', id: 'shop-to-crm', source: { connector: 'testkit-shop', connection: 'shop', streams: ['customers'] }, destination: { kind: 'connector', connector: 'crm', connection: 'crm' } },
    });
    expect(await ok('flow_status', { flow: 'shop-to-crm' })).toMatchObject({ mode: 'live', outbox: { pending: 0 }, runs: [] });

    expect(await ok('set_flow_mode', { flow: 'shop-to-crm', mode: 'paused' })).toEqual({ flow: 'shop-to-crm', before: 'live', mode: 'paused' });
    expect(await fails('run_flow', { flow: 'shop-to-crm' })).toMatchObject({ code: 'SYNC_FLOW_PAUSED' });
    expect(source.requests).toHaveLength(0);
    await ok('set_flow_mode', { flow: 'shop-to-crm', mode: 'shadow' });
    const shadowRun = await ok<{ mode: string; wouldWrite: Record<string, number>; items: unknown[] }>('run_flow', { flow: 'shop-to-crm' });
    expect(shadowRun).toMatchObject({ mode: 'shadow', wouldWrite: { create: 6, update: 0 } });
    expect(crm.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    await ok('set_flow_mode', { flow: 'shop-to-crm', mode: 'live' });
    expect(await ok('run_flow', { flow: 'shop-to-crm' })).toMatchObject({ mode: 'live', delivery: { created: 6 } });
    const status = await ok<{ runs: Array<{ kind: string; status: string }>; remoteIds: number; breaker: { state: string } }>('flow_status', { flow: 'shop-to-crm' });
    expect(status.runs.map((run) => `${run.kind} ${run.status}`)).toEqual(['run succeeded', 'shadow succeeded']);
    expect(status).toMatchObject({ remoteIds: 6, breaker: { state: 'closed' } });

    // A destination revision that sends first names in capitals: not confident enough to promote at 0.9.
    const upper = [{ op: 'replace', path: '/writes/commerce.customer@1/create/body/first_name', value: { expr: "$exists(firstName) and firstName != null ? $uppercase(firstName) : null" } }];
    const tried = await ok<{ confidence: number; differences: Array<{ changes: Array<{ path: string }> }>; promoted: unknown }>('shadow_flow', {
      flow: 'shop-to-crm',
      side: 'destination',
      patch: [...upper, ...upper.map((op) => ({ ...op, path: op.path.replace('create', 'update') }))],
      promote: { minConfidence: 0.9 },
    });
    const named = source.data.customers.filter((customer) => customer.first_name !== null && customer.first_name !== customer.first_name.toUpperCase()).length;
    expect(named).toBeGreaterThan(0);
    expect(tried.confidence).toBeCloseTo((6 - named) / 6);
    expect(tried.differences.every((difference) => difference.changes.map((change) => change.path).join() === '/body/first_name')).toBe(true);
    expect(tried.promoted).toBeNull();
    expect(workspace.getDefinition('crm').revision).toBe(1);
    // A change that writes the same bodies (a description) is promoted as revision 2.
    const same = await ok<{ confidence: number; promoted: { revision: number } }>('shadow_flow', {
      flow: 'shop-to-crm',
      side: 'destination',
      patch: [{ op: 'replace', path: '/description', value: 'The shop, as a CRM.' }],
      promote: { minConfidence: 1 },
    });
    expect(same).toMatchObject({ confidence: 1, promoted: { definition: 'crm', revision: 2 } });
    expect(workspace.getDefinition('crm').document['description']).toBe('The shop, as a CRM.');
    expect(await fails('shadow_flow', { flow: 'shop-to-crm', side: 'source', patch: [{ op: 'replace', path: '/streams/customers/pagination/kind', value: 'pages' }] })).toMatchObject({ code: 'MCP_INVALID_DOCUMENT' });
    expect(crm.requests.filter((request) => request.method !== 'GET' && !request.path.startsWith('/search')).length).toBe(6);
    expect(JSON.stringify([shadowRun, status, tried, same])).not.toContain(CRM_TOKEN);
  });
});
