// Sync tools through the real MCP client against a real testkit shop API and the workspace's real SQLite file:
// samples, a sync with progress, then its status, runs, checkpoints, resets and failed records with exact
// numbers from testkit's data; a sync in the background; and a cancelled sync that keeps what it committed.
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from './support.ts';

const TOKEN = 'sk_canary_sync_1e8a6f43';
const DEFINITION = 'testkit-shop';
const PAGE = 10;
const STREAMS = ['locations', 'products', 'stock_levels', 'customers', 'orders'] as const;

type Json = Record<string, unknown>;

const apis: TestApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

async function setup(orders = 23): Promise<Connected & { api: TestApi; definition: Json }> {
  const api = await startTestApi({ seed: 9, auth: { kind: 'bearer', token: TOKEN }, dataset: { locations: 3, products: 4, customers: 7, orders } });
  apis.push(api);
  const connected = await connect();
  await connected.client.listTools();
  const definition = shopConnectorDefinition({ baseUrl: api.url, pageSize: PAGE }) as unknown as Json;
  connected.server.runtime.workspace.saveDefinition(DEFINITION, definition);
  await connected.ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
  return { ...connected, api, definition };
}

interface StreamSummary {
  stream: string;
  canonicalType: string;
  status: string;
  pages: number;
  records: number;
  failed: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}
interface Summary {
  runId: string;
  connector: string;
  connection: string;
  status: string;
  streams: StreamSummary[];
  totals: Omit<StreamSummary, 'stream' | 'canonicalType' | 'status'>;
}

function countsOf(api: TestApi): Record<(typeof STREAMS)[number], number> {
  return {
    locations: api.data.locations.length,
    products: api.data.products.length,
    stock_levels: api.data.stock_levels.length,
    customers: api.data.customers.length,
    orders: api.data.orders.length,
  };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A definition whose orders mapping puts a number where the canonical type wants a string, for every fifth id. */
function broken(definition: Json): Json {
  const copy = structuredClone(definition) as { streams: Record<string, { mapping: { fields: Json } }> };
  (copy.streams['orders'] as { mapping: { fields: Json } }).mapping.fields['number'] = { expr: 'id % 5 = 0 ? 5 : name' };
  return copy as unknown as Json;
}

describe('read_sample', () => {
  it('reads canonical events or native records, and failing records with their issues, storing nothing', async () => {
    const { ok, fails, server, api, definition } = await setup();
    const sample = await ok<{ canonical: string; records: Array<{ type: string; data: Json }>; failures: unknown[]; pages: number; requests: number; reachedEnd: boolean }>('read_sample', {
      connection: 'main',
      stream: 'orders',
    });
    expect(sample).toMatchObject({ canonical: 'commerce.order@1', native: false, failures: [], pages: 1, requests: 1, reachedEnd: false });
    expect(sample.records).toHaveLength(5);
    expect(sample.records.every((record) => record.type.startsWith('commerce.order.'))).toBe(true);

    const native = await ok<{ records: Array<{ id: number; line_items: unknown[] }>; pages: number }>('read_sample', { definition: DEFINITION, config: { apiKey: TOKEN }, stream: 'orders', limit: 12, native: true });
    expect(native.records).toHaveLength(12);
    expect(native.pages).toBe(2);
    expect(native.records.every((record) => api.data.orders.some((order) => order.id === record.id) && Array.isArray(record.line_items))).toBe(true);

    const everything = await ok<{ records: unknown[]; reachedEnd: boolean }>('read_sample', { connection: 'main', stream: 'customers', limit: 100 });
    expect(everything).toMatchObject({ reachedEnd: true });
    expect(everything.records).toHaveLength(7);

    server.runtime.workspace.saveDefinition(DEFINITION, broken(definition));
    const bad = api.data.orders.filter((order) => order.id % 5 === 0).map((order) => String(order.id));
    const failing = await ok<{ records: unknown[]; failures: Array<{ remoteId: string; issues: Array<{ pointer: string }>; native: { id: number } }> }>('read_sample', {
      connection: 'main',
      stream: 'orders',
      limit: 23,
    });
    expect(failing.records).toHaveLength(23 - bad.length);
    expect(failing.failures.map((failure) => failure.remoteId).sort()).toEqual([...bad].sort());
    expect(failing.failures[0]?.issues.some((issue) => issue.pointer === '/number')).toBe(true);
    expect(String(failing.failures[0]?.native.id)).toBe(failing.failures[0]?.remoteId);

    expect((await fails('read_sample', { connection: 'main', stream: 'orders', limit: 101 })).issues[0]?.pointer).toBe('/limit');
    expect((await fails('read_sample', { connection: 'main', stream: 'ordres' })).code).toBe('ENGINE_UNKNOWN_STREAM');
    expect(api.requests.every((request) => request.method === 'GET')).toBe(true);
    // Nothing was synced.
    expect((await ok<{ runs: unknown[] }>('list_runs', {})).runs).toEqual([]);
  });
});

describe('run_sync and what it leaves', () => {
  it('syncs every stream with progress, then status, runs, checkpoints, reruns, resets and failed records add up', async () => {
    const { ok, fails, client, server, api, definition } = await setup();
    const counts = countsOf(api);
    const progress: Progress[] = [];
    const result = await client.callTool({ name: 'run_sync', arguments: { connection: 'main' } }, undefined, { onprogress: (update) => void progress.push(update) });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const { runId, status, summary } = result.structuredContent as { runId: string; status: string; summary: Summary };
    expect(status).toBe('succeeded');
    expect(summary).toMatchObject({ runId, connector: DEFINITION, connection: 'main', status: 'succeeded' });
    expect(summary.streams.map((stream) => stream.stream)).toEqual([...STREAMS]);
    for (const stream of summary.streams) {
      const total = counts[stream.stream as (typeof STREAMS)[number]];
      expect(stream, stream.stream).toMatchObject({ status: 'succeeded', records: total, inserted: total, updated: 0, unchanged: 0, deleted: 0, failed: 0, pages: Math.max(1, Math.ceil(total / PAGE)) });
    }
    const all = Object.values(counts).reduce((sum, count) => sum + count, 0);
    expect(summary.totals).toMatchObject({ records: all, inserted: all, failed: 0 });

    // Progress: the start (with the run id), then per page records read so far, and each stream's end.
    expect(progress[0]?.message).toBe(`run ${runId} started`);
    const ends = progress.filter((update) => update.message?.endsWith('— done'));
    expect(ends.map((update) => update.message)).toEqual(STREAMS.map((stream) => `${stream}: ${counts[stream]} records read, ${counts[stream]} written, 0 failed — done`));
    // A stream of several pages reports between its pages.
    expect(progress.some((update) => update.message === `orders: ${PAGE} records read, 0 written, 0 failed`)).toBe(true);
    const values = progress.map((update) => update.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);

    const finished = await ok<{ status: string; active: boolean; summary: Summary }>('sync_status', { run: runId });
    expect(finished).toMatchObject({ runId, status: 'succeeded', active: false, connector: DEFINITION, connection: 'main' });
    expect(finished.summary.totals).toEqual(summary.totals);
    expect((await fails('sync_status', { run: 'nope' })).code).toBe('MCP_NOT_FOUND');

    const runs = await ok<{ runs: Array<{ runId: string; status: string; streams: string[]; totals: Json; active: boolean }> }>('list_runs', {});
    expect(runs.runs).toEqual([expect.objectContaining({ runId, status: 'succeeded', active: false, streams: [...STREAMS], totals: summary.totals })]);
    expect((await ok<{ runs: unknown[] }>('list_runs', { connection: 'other' })).runs).toEqual([]);
    expect(await ok('get_run', { run: runId })).toEqual({ summary: finished.summary, active: false, failedRecords: 0 });

    const states = await ok<{ states: Array<{ connector: string; connection: string; stream: string; state: { partitions: Record<string, { cursor?: string }> } }> }>('get_state', { connection: 'main' });
    expect(states.states.map((state) => state.stream).sort()).toEqual([...STREAMS].sort());
    const orderState = states.states.find((state) => state.stream === 'orders');
    const newest = Math.max(...api.data.orders.map((order) => Date.parse(order.updated_at)));
    expect(Date.parse(orderState?.state.partitions['']?.cursor ?? '')).toBe(newest);
    expect((await ok<{ states: unknown[] }>('get_state', { stream: 'orders' })).states).toHaveLength(1);

    // Incremental rerun: nothing new; then two orders change.
    const quiet = await ok<{ summary: Summary }>('run_sync', { connection: 'main', streams: ['orders'] });
    expect(quiet.summary.streams[0]).toMatchObject({ inserted: 0, updated: 0 });
    expect(quiet.summary.streams[0]?.records).toBeLessThan(23);
    const [first, second] = api.data.orders;
    api.touch('orders', [first?.id as number, second?.id as number]);
    const changed = await ok<{ summary: Summary }>('run_sync', { connection: 'main', streams: ['orders'] });
    expect(changed.summary.streams[0]).toMatchObject({ inserted: 0, updated: 2 });

    // Resets.
    expect((await fails('reset_state', {})).code).toBe('MCP_INVALID_ARGUMENTS');
    expect(await ok('reset_state', { connection: 'main', stream: 'orders' })).toEqual({ reset: 1 });
    expect((await ok<{ states: unknown[] }>('get_state', {})).states).toHaveLength(4);
    const full = await ok<{ summary: Summary }>('run_sync', { connection: 'main', streams: ['orders'] });
    expect(full.summary.streams[0]).toMatchObject({ records: 23, unchanged: 23, inserted: 0, updated: 0 });

    // Failed records: revision 2 breaks every fifth order's number.
    server.runtime.workspace.saveDefinition(DEFINITION, broken(definition));
    const bad = api.data.orders.filter((order) => order.id % 5 === 0).map((order) => String(order.id));
    const partial = await ok<{ runId: string; status: string; summary: Summary }>('run_sync', { connection: 'main', streams: ['orders'], full: true });
    expect(partial.status).toBe('partial');
    expect(partial.summary.streams[0]).toMatchObject({ records: 23, failed: bad.length, unchanged: 23 - bad.length });
    const failed = await ok<{ total: number; records: Array<{ runId: string; stream: string; remoteId: string; message: string; issues: Array<{ pointer: string }>; native: { id: number } }> }>(
      'list_failed_records',
      { run: partial.runId },
    );
    expect(failed.total).toBe(bad.length);
    expect(failed.records.map((record) => record.remoteId).sort()).toEqual([...bad].sort());
    expect(failed.records.every((record) => record.stream === 'orders' && record.issues.some((issue) => issue.pointer === '/number') && String(record.native.id) === record.remoteId)).toBe(true);
    const limited = await ok<{ total: number; records: Json[] }>('list_failed_records', { stream: 'orders', limit: 1, native: false });
    expect(limited.total).toBe(bad.length);
    expect(limited.records).toHaveLength(1);
    expect(limited.records[0]).not.toHaveProperty('native');
    expect((await ok<{ total: number }>('list_failed_records', { stream: 'customers' })).total).toBe(0);
    expect((await ok<{ failedRecords: number }>('get_run', { run: partial.runId })).failedRecords).toBe(bad.length);
    expect((await ok<{ runs: unknown[] }>('list_runs', { status: 'partial' })).runs).toHaveLength(1);
    expect((await ok<{ runs: unknown[] }>('list_runs', { limit: 2 })).runs).toHaveLength(2);
    expect((await ok<{ runs: unknown[] }>('list_runs', {})).runs).toHaveLength(5);

    expect(await ok('reset_state', { all: true })).toEqual({ reset: 5 });
    expect((await ok<{ states: unknown[] }>('get_state', {})).states).toEqual([]);
  });

  it('runs in the background with wait false; sync_status follows it to the end', async () => {
    const { ok } = await setup();
    const started = await ok<{ runId: string; status: string; summary?: unknown }>('run_sync', { connection: 'main', wait: false });
    expect(started.status).toBe('running');
    expect(started.summary).toBeUndefined();
    const running = await ok<{ status: string; active: boolean; progress: unknown[] }>('sync_status', { run: started.runId });
    expect(running).toMatchObject({ status: 'running', active: true });
    expect((await ok<{ runs: Array<{ active: boolean }> }>('list_runs', {})).runs[0]?.active).toBe(true);
    expect((await ok<{ activeRuns: Array<{ runId: string }> }>('system_health', {})).activeRuns.map((run) => run.runId)).toEqual([started.runId]);
    const done = await until(async () => {
      const status = await ok<{ status: string; active: boolean; summary: Summary }>('sync_status', { run: started.runId });
      return status.active ? undefined : status;
    }, 'the run to finish');
    expect(done.status).toBe('succeeded');
    expect(done.summary.totals.records).toBeGreaterThan(0);
    expect((await ok<{ activeRuns: unknown[] }>('system_health', {})).activeRuns).toEqual([]);
  });

  it('cancel_run stops a background run; what it committed stays', async () => {
    const { ok, fails } = await setup();
    const started = await ok<{ runId: string }>('run_sync', { connection: 'main', wait: false, batchSize: 10 });
    const cancelled = await ok<{ status: string; summary: Summary }>('cancel_run', { run: started.runId });
    expect(cancelled.status).toBe('cancelled');
    expect((await ok<{ status: string; active: boolean }>('sync_status', { run: started.runId })).active).toBe(false);
    // Cancelling a finished run answers with its summary; an unknown run is not found.
    expect((await ok<{ status: string }>('cancel_run', { run: started.runId })).status).toBe('cancelled');
    expect((await fails('cancel_run', { run: 'no-such-run' })).code).toBe('MCP_NOT_FOUND');
  });

  it('refuses unknown streams and an unknown connection before starting', async () => {
    const { fails, ok } = await setup();
    const error = await fails('run_sync', { connection: 'main', streams: ['orders', 'ordres'] });
    expect(error).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', hint: expect.stringContaining('orders') });
    expect(error.issues.map((issue) => issue.pointer)).toEqual(['/streams/1']);
    expect((await fails('run_sync', { connection: 'nope' })).code).toBe('MCP_NOT_FOUND');
    expect((await ok<{ runs: unknown[] }>('list_runs', {})).runs).toEqual([]);
  });

  it('syncs a raw stream as native records keyed by its primary key', async () => {
    const { ok, server, definition } = await setup();
    const raw = structuredClone(definition) as { streams: Record<string, Json> };
    delete raw.streams['orders']?.['canonical'];
    delete raw.streams['orders']?.['mapping'];
    server.runtime.workspace.saveDefinition(DEFINITION, raw as unknown as Json);
    const synced = await ok<{ summary: { streams: Array<{ stream: string; canonicalType: string; inserted: number }> } }>('run_sync', { connection: 'main', streams: ['orders'] });
    expect(synced.summary.streams).toMatchObject([{ stream: 'orders', canonicalType: '', inserted: 23 }]);
  });
});

describe('cancelling run_sync', () => {
  it('stops the run when the client cancels the call: status cancelled, committed records kept', async () => {
    const { ok, client } = await setup(400);
    const controller = new AbortController();
    let runId: string | undefined;
    const call = client.callTool({ name: 'run_sync', arguments: { connection: 'main', streams: ['orders', 'customers'], batchSize: PAGE } }, undefined, {
      signal: controller.signal,
      onprogress: (update) => {
        runId ??= /^run (\S+) started$/.exec(update.message ?? '')?.[1];
        const written = Number(/^orders: \d+ records read, (\d+) written/.exec(update.message ?? '')?.[1] ?? 0);
        if (written >= 50) controller.abort();
      },
    });
    await expect(call).rejects.toThrow();
    expect(runId).toBeDefined();

    const status = await until(async () => {
      const current = await ok<{ status: string; active: boolean; summary: Summary }>('sync_status', { run: runId });
      return current.active ? undefined : current;
    }, 'the cancelled run to stop');
    expect(status.status).toBe('cancelled');
    expect(status.summary.streams.map((stream) => [stream.stream, stream.status])).toEqual([['orders', 'cancelled']]);
    const orders = status.summary.streams[0] as StreamSummary;
    expect(orders.inserted).toBeGreaterThanOrEqual(50);
    expect(orders.inserted).toBeLessThan(400);

    // What was committed is in the database, and nothing more.
    const stats = await ok<{ tables: Array<{ table: string; records: number }>; runs: Array<{ runId: string; status: string }> }>('event_stats', {});
    expect(stats.tables).toEqual([expect.objectContaining({ table: 'commerce_order', records: orders.inserted })]);
    expect(stats.runs).toEqual([expect.objectContaining({ runId, status: 'cancelled' })]);
    expect(await ok('get_run', { run: runId })).toMatchObject({ summary: { status: 'cancelled' }, active: false });
  });
});
