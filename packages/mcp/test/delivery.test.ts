// Flow delivery through the real MCP client: a stored flow from one testkit shop's customers to another's writes,
// both connections stored with their secrets sealed; run_flow delivers, the refused records wait in the dead-letter
// queue, dlq_clusters groups them with a hint, dlq_retry puts them back, and the next run delivers them. No result
// carries either secret.
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from './support.ts';

const SOURCE_TOKEN = 'sk_canary_src_71c2a9';
const CRM_TOKEN = 'sk_canary_crm_5b0e44';

const apis: TestApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

describe('preview_flow, run_flow and the dead-letter queue tools', () => {
  it('previews a flow writing nothing, delivers it, clusters what was refused, and delivers it after dlq_retry', { timeout: 120_000 }, async () => {
    const source = await startTestApi({ seed: 41, dataset: { customers: 9 }, auth: { kind: 'bearer', token: SOURCE_TOKEN } });
    const crm = await startTestApi({
      seed: 7,
      dataset: { customers: 2 },
      auth: { kind: 'bearer', token: CRM_TOKEN },
      faults: [{ kind: 'status', status: 401, method: 'POST', route: '/customers', times: 2, body: { error: 'API key expired' } }],
    });
    apis.push(source, crm);
    const { ok, fails, client, server } = await connect();
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
  });
});
