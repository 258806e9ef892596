// Testing tools through the real MCP client against a real testkit shop API: the read-only test run with
// progress per stream, the report stored and read back, failing auth as a failing verdict, mapping failures with
// pointers, one stream's samples, and the auth check alone.
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from './support.ts';

const TOKEN = 'sk_canary_test_52f0c8d1';
const DEFINITION = 'testkit-shop';
const PAGE = 10;

const apis: TestApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

type Json = Record<string, unknown>;

async function setup(): Promise<Connected & { api: TestApi; definition: Json }> {
  const api = await startTestApi({ seed: 7, auth: { kind: 'bearer', token: TOKEN }, dataset: { locations: 12, products: 14, customers: 17, orders: 23 } });
  apis.push(api);
  const connected = await connect();
  await connected.client.listTools();
  const definition = shopConnectorDefinition({ baseUrl: api.url, pageSize: PAGE }) as unknown as Json;
  connected.server.runtime.workspace.saveDefinition(DEFINITION, definition);
  return { ...connected, api, definition };
}

interface StreamOut {
  stream: string;
  canonical: string | null;
  verdict: string;
  requests: number;
  pages: number;
  records: number;
  failedRecords: number;
  failures: Array<{ pointer: string; message: string; records: number; remoteIds: string[] }>;
  pagination: { reachedEnd: boolean; stoppedBecause: string; exercised: boolean };
}

interface TestOut {
  reportId: string;
  connector: string;
  connection?: string;
  verdict: string;
  auth: { ok: boolean; error?: { code: string; message: string } };
  requests: number;
  streams: StreamOut[];
  text: string;
}

/** Pages read for n records (has_more is false on the last page), at most maxPages. */
function pagesFor(records: number, maxPages = 5): number {
  return Math.min(Math.max(1, Math.ceil(records / PAGE)), maxPages);
}

describe('test_connector', () => {
  it('tests every stream with a stored connection, reports progress per stream, stores a report that reads back', async () => {
    const { ok, client, api } = await setup();
    await ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    const progress: Progress[] = [];
    const result = await client.callTool({ name: 'test_connector', arguments: { connection: 'main' } }, undefined, { onprogress: (update) => void progress.push(update) });
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent as unknown as TestOut;

    expect(report).toMatchObject({ connector: DEFINITION, connection: 'main', verdict: 'pass', auth: { ok: true, checkStream: 'locations', provesCredentials: true } });
    const counts: Record<string, number> = {
      locations: api.data.locations.length,
      products: api.data.products.length,
      stock_levels: api.data.stock_levels.length,
      customers: api.data.customers.length,
      orders: api.data.orders.length,
    };
    expect(report.streams.map((stream) => stream.stream)).toEqual(Object.keys(counts));
    for (const stream of report.streams) {
      const total = counts[stream.stream] as number;
      const records = Math.min(total, 5 * PAGE);
      expect(stream, stream.stream).toMatchObject({ verdict: 'pass', records, failedRecords: 0, failures: [], pages: pagesFor(total), requests: pagesFor(total), pagination: { exercised: true } });
      expect(stream.pagination.reachedEnd, stream.stream).toBe(total <= 5 * PAGE);
    }
    const orders = report.streams.find((stream) => stream.stream === 'orders');
    expect(orders).toMatchObject({ canonical: 'commerce.order@1', records: 23, pages: 3, pagination: { reachedEnd: true, stoppedBecause: 'exhausted' } });
    // One auth check, plus the pages.
    expect(report.requests).toBe(1 + report.streams.reduce((sum, stream) => sum + stream.pages, 0));
    expect(api.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(report.text).toMatch(/^PASS testkit-shop 1\.0\.0/);
    expect(report.text).toContain('orders → commerce.order@1: 23 records, 3 pages, reached the end');

    // Progress: a start, then one notification per stream, in order, with the total.
    expect(progress.map((update) => update.progress)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(progress.every((update) => update.total === 5)).toBe(true);
    expect(progress.slice(1).map((update) => update.message?.split(':')[0])).toEqual(Object.keys(counts));
    expect(progress[5]?.message).toBe('orders: pass — 23 records, 3 pages, 0 failed');

    const stored = await ok<{ id: string; connector: string; connection: string; verdict: string; report: { streams: Array<{ stream: string; samples: unknown[]; requests: unknown[] }> }; text: string }>('get_test_report', {
      report: report.reportId,
    });
    expect(stored).toMatchObject({ id: report.reportId, connector: DEFINITION, connection: 'main', verdict: 'pass', text: report.text });
    expect(stored.report.streams).toHaveLength(5);
    expect(stored.report.streams[4]?.samples).toHaveLength(3);
    expect(stored.report.streams[4]?.requests).toHaveLength(3);
    const listed = await ok<{ reports: Array<{ id: string; verdict: string }> }>('list_test_reports', { definition: DEFINITION });
    expect(listed.reports).toEqual([{ id: report.reportId, connector: DEFINITION, connection: 'main', verdict: 'pass', createdAt: expect.any(String) }]);
    expect((await ok<{ reports: unknown[] }>('list_test_reports', { definition: 'other' })).reports).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('tests with an inline config before a connection exists, with limits', async () => {
    const { ok } = await setup();
    const report = await ok<TestOut>('test_connector', { definition: DEFINITION, config: { apiKey: TOKEN }, streams: ['orders', 'customers'], maxRecords: 15 });
    expect(report.connection).toBeUndefined();
    expect(report.streams.map((stream) => [stream.stream, stream.records, stream.pages, stream.pagination.stoppedBecause])).toEqual([
      ['orders', 15, 2, 'record-limit'],
      ['customers', 15, 2, 'record-limit'],
    ]);
    expect(report.verdict).toBe('pass');
    expect(report.text).toContain('stopped: record-limit');
  });

  it('reports failing auth as a failing verdict (stored), not as an error, with the secret redacted', async () => {
    const { ok, call } = await setup();
    const wrong = `${TOKEN}-expired`;
    const result = await call('test_connector', { definition: DEFINITION, config: { apiKey: wrong } });
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent as unknown as TestOut;
    expect(report).toMatchObject({ verdict: 'fail', auth: { ok: false, error: { code: expect.stringMatching(/^ENGINE_/) } }, streams: [], requests: 1 });
    expect(report.auth.error?.message).toContain('401');
    expect(report.text).toMatch(/^FAIL/);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    const stored = await ok<{ verdict: string; report: Json }>('get_test_report', { report: report.reportId });
    expect(stored.verdict).toBe('fail');
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
  });

  it('refuses an unknown stream, a missing definition and both connection and config', async () => {
    const { fails, ok } = await setup();
    const unknown = await fails('test_connector', { definition: DEFINITION, config: { apiKey: TOKEN }, streams: ['orders', 'ordres'] });
    expect(unknown).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', hint: expect.stringContaining('orders') });
    expect(unknown.issues.map((issue) => issue.pointer)).toEqual(['/streams/1']);
    expect((await fails('test_connector', { definition: 'nope', config: {} })).code).toBe('MCP_NOT_FOUND');
    expect((await fails('test_connector', { config: { apiKey: TOKEN } })).code).toBe('MCP_INVALID_ARGUMENTS');
    await ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    expect((await fails('test_connector', { connection: 'main', config: { apiKey: TOKEN } })).code).toBe('MCP_INVALID_ARGUMENTS');
    const invalid = await fails('test_connector', { definition: DEFINITION, config: { apiKey: 7 } });
    expect(invalid.code).toBe('ENGINE_INVALID_CONFIG');
  });
});

describe('cancelling test_connector', () => {
  it('stops between streams when the client cancels, and stores no report', async () => {
    const { ok, client, server } = await setup();
    const controller = new AbortController();
    const call = client.callTool({ name: 'test_connector', arguments: { definition: DEFINITION, config: { apiKey: TOKEN } } }, undefined, {
      signal: controller.signal,
      onprogress: (update) => {
        if (update.progress === 1) controller.abort();
      },
    });
    await expect(call).rejects.toThrow();
    // The server finishes the call (as an error nobody receives): then no report may exist.
    for (let attempt = 0; attempt < 200 && !server.runtime.stats.get('test_connector'); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(server.runtime.stats.get('test_connector')).toMatchObject({ calls: 1, errors: 1 });
    expect((await ok<{ reports: unknown[] }>('list_test_reports', {})).reports).toEqual([]);
  });
});

describe('test_stream', () => {
  it('returns samples and every failing record with its pointers', async () => {
    const { ok, server, api, definition } = await setup();
    // Every fifth order gets a number where the canonical type wants a string: revision 2.
    const broken = structuredClone(definition) as { streams: Record<string, { mapping: { fields: Json } }> };
    (broken.streams['orders'] as { mapping: { fields: Json } }).mapping.fields['number'] = { expr: 'id % 5 = 0 ? 5 : name' };
    server.runtime.workspace.saveDefinition(DEFINITION, broken as unknown as Json);
    const bad = api.data.orders.filter((order) => order.id % 5 === 0).map((order) => String(order.id));
    expect(bad.length).toBeGreaterThan(0);

    const result = await ok<
      Omit<StreamOut, 'requests'> & { verdict: string; samples: Array<{ type: string; data: Json }>; requests: Array<{ method: string; url: string; status: number }>; inferredSchema: Json; text: string; reportId: string }
    >('test_stream', { definition: DEFINITION, config: { apiKey: TOKEN }, stream: 'orders' });
    expect(result).toMatchObject({ stream: 'orders', canonical: 'commerce.order@1', verdict: 'fail', records: 23 - bad.length, pages: 3, failedRecords: bad.length });
    // Grouped: one kind of failure, at /number, counted once per record.
    expect(result.failures).toMatchObject([{ pointer: '/number', records: bad.length }]);
    expect(result.failures[0]?.remoteIds).toEqual(bad.slice(0, 5));
    expect(result.samples).toHaveLength(5);
    expect(result.samples[0]).toMatchObject({ type: 'commerce.order.updated', data: { number: expect.any(String) } });
    expect(result.requests.map((request) => [request.method, request.status])).toEqual([
      ['GET', 200],
      ['GET', 200],
      ['GET', 200],
    ]);
    expect(result.requests[0]?.url).toContain('/cursor/orders');
    expect(result.inferredSchema).toMatchObject({ type: 'object' });
    expect(result.text).toContain(`${bad.length} × /number: `);

    // The revision before the change passes.
    const fixed = await ok<{ verdict: string; failedRecords: number }>('test_stream', { definition: DEFINITION, revision: 1, config: { apiKey: TOKEN }, stream: 'orders', samples: 0 });
    expect(fixed).toMatchObject({ verdict: 'pass', failedRecords: 0, samples: [] });
    expect((await ok<{ reports: unknown[] }>('list_test_reports', {})).reports).toHaveLength(2);
  });
});

describe('check_auth', () => {
  it('passes with the right credentials and fails, as a result, with the wrong ones', async () => {
    const { ok, api } = await setup();
    expect(await ok('check_auth', { definition: DEFINITION, config: { apiKey: TOKEN } })).toMatchObject({
      verdict: 'pass',
      ok: true,
      stream: 'locations',
      status: 200,
      records: 10,
      requests: 1,
      connection: 'default',
    });
    api.setAuth({ kind: 'bearer', token: 'another-token' });
    const failed = await ok<{ verdict: string; error: { code: string; message: string } }>('check_auth', { definition: DEFINITION, config: { apiKey: TOKEN } });
    expect(failed).toMatchObject({ verdict: 'fail', ok: false, error: { code: expect.stringMatching(/^ENGINE_/) } });
    expect(JSON.stringify(failed)).not.toContain(TOKEN);
  });
});
