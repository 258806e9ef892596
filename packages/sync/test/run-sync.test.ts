// runSync against a real testkit shop API into real SQLite and JSON Lines files: counts that match the source,
// incremental reruns that ask only for changes, tombstones, failed records kept, secrets never stored, and a
// cancelled run that keeps what it read.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '@pullpush/schema';
import { JsonlDestination, openSqliteStore, runFlow, runSync, type BackgroundWriter, type Batch, type SqliteStore, type SyncOptions } from '../src/index.ts';

const TOKEN = 'sk_canary_4f9d2c7e1b';
const LOCAL = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;

let dir: string;
let api: TestApi;
const stores: SqliteStore[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-sync-'));
  api = await startTestApi({ seed: 5, dataset: { orders: 230, customers: 40, products: 12 }, auth: { kind: 'bearer', token: TOKEN } });
});
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(name = 'sync.db'): SqliteStore {
  const opened = openSqliteStore(join(dir, name));
  stores.push(opened);
  return opened;
}

function options(destination: SyncOptions['destination'], extra: Partial<SyncOptions> = {}): SyncOptions {
  return { definition: shopConnectorDefinition({ baseUrl: api.url, pageSize: 50 }), config: { apiKey: TOKEN }, destination, engine: LOCAL, ...extra };
}

/** The store as it is, but for one method replaced by `method` (which may call the store's own). */
function watch<K extends keyof SqliteStore>(store: SqliteStore, name: K, method: SqliteStore[K]): SqliteStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === name) return method;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function count(db: SqliteStore, table: string, where = '1 = 1'): number {
  return Number((db.database.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n);
}

describe('runSync into SQLite', () => {
  it('syncs every stream: one row per record, counts per stream, checkpoints and the run logged', async () => {
    const db = store();
    const summary = await runSync(options(db));
    expect(summary.status).toBe('succeeded');
    const byStream = Object.fromEntries(summary.streams.map((stream) => [stream.stream, stream]));
    expect(byStream['orders']).toMatchObject({ canonicalType: 'commerce.order@1', records: 230, inserted: 230, failed: 0, pages: 5, status: 'succeeded' });
    expect(byStream['customers']).toMatchObject({ records: 40, inserted: 40 });
    expect(byStream['products']?.records).toBe(api.data.products.length);
    expect(byStream['stock_levels']?.records).toBe(api.data.stock_levels.length);
    expect(count(db, 'commerce_order')).toBe(230);
    expect(count(db, 'commerce_customer')).toBe(40);
    expect(count(db, 'commerce_stocklevel')).toBe(api.data.stock_levels.length);
    expect(summary.totals.records).toBe(summary.streams.reduce((sum, stream) => sum + stream.records, 0));
    expect(db.listStates().map((state) => state.stream).sort()).toEqual(summary.streams.map((stream) => stream.stream).sort());
    expect(db.getRun(summary.runId)).toMatchObject({ status: 'succeeded', totals: summary.totals });
  });

  it('reruns incrementally: only changed records are requested, updates and tombstones land', async () => {
    const db = store();
    await runSync(options(db));
    api.resetRequests();
    const quiet = await runSync(options(db));
    // Each stream asks once, from its stored cursor, and gets at most the lookback overlap back — unchanged.
    expect(api.count({ path: '/cursor/orders' })).toBe(1);
    const orders = quiet.streams.find((stream) => stream.stream === 'orders');
    expect(orders?.inserted).toBe(0);
    expect(orders?.updated).toBe(0);
    expect(orders?.records).toBeLessThan(230);

    const [first, second] = api.data.orders;
    api.touch('orders', [first?.id as number, second?.id as number]);
    const removed = api.data.customers[3]?.id as number;
    api.remove('customers', [removed]);
    api.resetRequests();
    const changed = await runSync(options(db));
    expect(api.count({ path: '/cursor/orders' })).toBe(1);
    expect(changed.streams.find((stream) => stream.stream === 'orders')).toMatchObject({ updated: 2, inserted: 0 });
    expect(changed.streams.find((stream) => stream.stream === 'customers')).toMatchObject({ deleted: 1, inserted: 0 });
    expect(count(db, 'commerce_customer', `deleted = 1 AND remote_id = '${removed}'`)).toBe(1);
    expect(count(db, 'commerce_customer')).toBe(40);
    const row = db.database.prepare(`SELECT updated_at FROM commerce_order WHERE remote_id = ?`).get(String(first?.id)) as { updated_at: string };
    expect(Date.parse(row.updated_at)).toBe(Date.parse(api.data.orders.find((order) => order.id === first?.id)?.updated_at as string));
  });

  it('--full reads everything again and leaves unchanged records unchanged', async () => {
    const db = store();
    await runSync(options(db, { streams: ['orders'] }));
    const again = await runSync(options(db, { streams: ['orders'], full: true }));
    expect(again.streams[0]).toMatchObject({ records: 230, unchanged: 230, inserted: 0, updated: 0 });
  });

  it('keeps records that fail mapping in the failed-records table and reports the run as partial', async () => {
    const db = store();
    const definition = shopConnectorDefinition({ baseUrl: api.url, pageSize: 50 }) as unknown as { streams: Record<string, { mapping: { fields: Record<string, unknown> } }> };
    // Every seventh order gets a number where the canonical type wants a string.
    (definition.streams['orders'] as { mapping: { fields: Record<string, unknown> } }).mapping.fields['number'] = { expr: 'id % 7 = 0 ? 7 : name' };
    const summary = await runSync(options(db, { definition, streams: ['orders'] }));
    const bad = api.data.orders.filter((order) => order.id % 7 === 0);
    expect(bad.length).toBeGreaterThan(0);
    expect(summary.status).toBe('partial');
    expect(summary.streams[0]).toMatchObject({ records: 230, failed: bad.length, inserted: 230 - bad.length });
    const failed = db.listFailedRecords({ stream: 'orders' });
    expect(failed.map((record) => record.remoteId).sort()).toEqual(bad.map((order) => String(order.id)).sort());
    expect(failed[0]?.issues.some((issue) => (issue as { pointer: string }).pointer === '/number')).toBe(true);
    expect(failed[0]?.native).toMatchObject({ id: Number(failed[0]?.remoteId) });
  });

  it('never writes the connection secret to the database, not even when the API echoes it in records', async () => {
    const db = store('secret.db');
    // A "who am I" style API: the caller's token in names, notes and tags, and an email that fails validation
    // with it (the failed record keeps its native form).
    const [first, ...rest] = api.data.customers;
    api.update('customers', first?.id as number, { email: `${TOKEN}@`, note: TOKEN });
    for (const customer of rest) api.update('customers', customer.id, { first_name: TOKEN, note: `token=${TOKEN}`, tags: TOKEN.toUpperCase() });
    const summary = await runSync(options(db, { streams: ['customers'] }));
    expect(summary.totals.records).toBe(40);
    expect(db.listFailedRecords().length).toBeGreaterThan(0);
    db.close();
    for (const file of readdirSync(dir).filter((name) => name.startsWith('secret.db'))) {
      const bytes = readFileSync(join(dir, file)).toString('latin1').toLowerCase();
      expect(bytes.includes(TOKEN.toLowerCase()), file).toBe(false);
    }
  });

  it('a cancelled run keeps the batches it wrote and says so', async () => {
    const db = store();
    const controller = new AbortController();
    const summary = await runSync(
      options(db, {
        streams: ['orders', 'customers'],
        batchSize: 50,
        signal: controller.signal,
        // Cancelled once 100 records were read: whatever was read before is written (some batches may still be
        // committing on the background writer when the signal comes).
        onProgress: (progress) => {
          if (progress.records >= 100) controller.abort();
        },
      }),
    );
    expect(summary.status).toBe('cancelled');
    expect(summary.streams.map((stream) => stream.stream)).toEqual(['orders']);
    expect(summary.streams[0]?.status).toBe('cancelled');
    const rows = count(db, 'commerce_order');
    expect(rows).toBeGreaterThanOrEqual(100);
    expect(rows).toBeLessThan(230);
    expect(summary.streams[0]?.inserted).toBe(rows);
  });

  it('a run cancelled between two streams is cancelled, though the stream that ran finished', async () => {
    const db = store();
    const controller = new AbortController();
    const summary = await runSync(
      options(db, { streams: ['customers', 'orders'], signal: controller.signal, onProgress: (progress) => progress.done && controller.abort() }),
    );
    expect(summary.streams.map((stream) => [stream.stream, stream.status])).toEqual([['customers', 'succeeded']]);
    expect(summary.status).toBe('cancelled');
    expect(db.getRun(summary.runId)?.status).toBe('cancelled');
  });

  it('refuses an unknown stream before reading anything', async () => {
    const db = store();
    await expect(runSync(options(db, { streams: ['nope'] }))).rejects.toMatchObject({ code: 'SYNC_UNKNOWN_STREAM', hint: expect.stringContaining('orders') });
    expect(api.requests).toHaveLength(0);
  });

  it('checks the connection first: with bad credentials the run fails and writes nothing, secrets redacted', async () => {
    const db = store();
    api.setAuth({ kind: 'bearer', token: 'another-token' });
    const summary = await runSync(options(db, { streams: ['orders'] }));
    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toMatch(/^ENGINE_/);
    expect(summary.streams).toEqual([]);
    expect(db.listTables()).toEqual([]);
    expect(db.listStates()).toEqual([]);
    expect(db.getRun(summary.runId)).toMatchObject({ status: 'failed', error: { code: summary.error?.code } });
    expect(JSON.stringify(summary)).not.toContain(TOKEN);
  });

  it('commits batches on the background writer while reading; a failed batch stops the stream with no checkpoint past it', async () => {
    const db = store();
    // A first, limited run creates the table; then the database refuses its 120th row, mid-way through batch 3.
    await runSync(options(db, { streams: ['orders'], limits: { maxRecords: 10 } }));
    db.database.exec('CREATE TRIGGER refuse_many BEFORE INSERT ON commerce_order WHEN (SELECT count(*) FROM commerce_order) >= 120 BEGIN SELECT RAISE(ABORT, \'the disk is full\'); END;');
    const progress: number[] = [];
    const failed = await runSync(options(db, { streams: ['orders'], full: true, batchSize: 50, onProgress: (step) => progress.push(step.written) }));
    expect(failed.status).toBe('failed');
    expect(failed.streams[0]).toMatchObject({ status: 'failed', error: { code: 'SYNC_DATABASE', message: expect.stringContaining('the disk is full') } });
    // Batches 1 and 2 are there, nothing of batch 3 or later, and progress never claimed more than was committed.
    expect(count(db, 'commerce_order')).toBe(100);
    expect(Math.max(...progress)).toBeLessThanOrEqual(100);
    // Once the database takes rows again, an incremental run from the stored checkpoint brings every order.
    db.database.exec('DROP TRIGGER refuse_many');
    const resumed = await runSync(options(db, { streams: ['orders'], batchSize: 50 }));
    expect(resumed.status).toBe('succeeded');
    expect(count(db, 'commerce_order')).toBe(230);
  });

  it('a batch of several pages: the writer takes each page ahead of it and commits them with it, or none of them', async () => {
    const db = store();
    await runSync(options(db, { streams: ['orders'], limits: { maxRecords: 10 } }));
    // The background writer as runSync uses it, watched: how many pages it was handed ahead of their batch.
    let appended = 0;
    const watched = watch(db, 'openBackgroundWriter', () => {
      const writer = db.openBackgroundWriter();
      if (!writer?.append) throw new Error('the SQLite writer takes parts ahead of a batch');
      return { append: (part: Batch) => void ((appended += 1), writer.append?.(part)), write: (batch: Batch) => writer.write(batch), close: () => writer.close() } satisfies BackgroundWriter;
    });
    // 230 orders in pages of 50, batches of 150 (three pages): batch 2 is pages 4 and 5, and the database refuses
    // the 210th row, in page 5, after page 4 went to the writer ahead of it.
    db.database.exec('CREATE TRIGGER refuse_late BEFORE INSERT ON commerce_order WHEN (SELECT count(*) FROM commerce_order) >= 210 BEGIN SELECT RAISE(ABORT, \'the disk is full\'); END;');
    const failed = await runSync(options(watched, { streams: ['orders'], full: true, batchSize: 150 }));
    expect(failed.streams[0]).toMatchObject({ status: 'failed', error: { code: 'SYNC_DATABASE', message: expect.stringContaining('the disk is full') } });
    expect(appended).toBeGreaterThan(0);
    // Batch 1 whole, nothing of batch 2 (page 4 neither), and the checkpoint of batch 1.
    expect(count(db, 'commerce_order')).toBe(150);
    db.database.exec('DROP TRIGGER refuse_late');
    appended = 0;
    const resumed = await runSync(options(watched, { streams: ['orders'], batchSize: 150 }));
    expect(resumed.status).toBe('succeeded');
    expect(count(db, 'commerce_order')).toBe(230);
    const full = await runSync(options(watched, { streams: ['orders'], full: true, batchSize: 150 }));
    expect(full.streams[0]).toMatchObject({ status: 'succeeded', records: 230, unchanged: 230 });
    expect(appended).toBeGreaterThan(0);
  });

  it('makes batches small when records are large: a batch holds at most maxBatchBytes of responses', async () => {
    const db = store();
    // 230 orders in pages of 50, each order carrying 40 KB: a page is about 2 MB, over the 1 MiB budget.
    for (const order of api.data.orders) api.update('orders', order.id, { note: `${order.id} ${'n'.repeat(40_000)}` });
    const written: number[] = [];
    const summary = await runSync(options(db, { streams: ['orders'], maxBatchBytes: 1024 * 1024, onProgress: (step) => written.push(step.written) }));
    expect(summary.status).toBe('succeeded');
    expect(count(db, 'commerce_order')).toBe(230);
    // Every page was its own batch: what was written grew by at most one page at a time.
    const steps = [...new Set(written)].sort((a, b) => a - b);
    expect(steps).toEqual([0, 50, 100, 150, 200, 230].filter((step) => steps.includes(step)));
    expect(steps.filter((step) => step > 0).length).toBeGreaterThanOrEqual(4);
  });

  it('syncs records of 6 MiB each in a process with a 128 MiB heap: what waits to be written stays bounded', async () => {
    const big = await startTestApi({ seed: 9, dataset: { orders: 30, customers: 5, products: 5 }, auth: { kind: 'bearer', token: 'big-records-token' } });
    try {
      for (const order of big.data.orders) big.update('orders', order.id, { note: `${order.id} ${'n'.repeat(6 * 1024 * 1024)}` });
      const child = fileURLToPath(new URL('./fixtures/big-records-child.ts', import.meta.url));
      const path = join(dir, 'big.db');
      const run = spawn(process.execPath, ['--max-old-space-size=128', '--conditions=@pullpush/source', child, big.url, path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(run, 'close')) as [number | null];
      expect(code, stderr.slice(-2000)).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded', totals: { records: 30, inserted: 30 } });
    } finally {
      await big.close();
    }
  });

  it('reports a stream that fails and still runs the others', async () => {
    const db = store();
    api.setFaults([{ kind: 'status', status: 500, route: '/cursor/customers' }]);
    const summary = await runSync(options(db, { streams: ['customers', 'orders'], engine: { ...LOCAL }, definition: { ...shopConnectorDefinition({ baseUrl: api.url, pageSize: 50 }), retry: { maxAttempts: 1 } } }));
    expect(summary.status).toBe('failed');
    expect(summary.streams.map((stream) => [stream.stream, stream.status])).toEqual([
      ['customers', 'failed'],
      ['orders', 'succeeded'],
    ]);
    expect(summary.streams[0]?.error?.code).toBe('ENGINE_HTTP_STATUS');
    expect(count(db, 'commerce_order')).toBe(230);
  });
});

describe('runSync into JSON Lines', () => {
  it('writes one CloudEvent per record and keeps checkpoints in a separate state store', async () => {
    const path = join(dir, 'out', 'events.jsonl');
    const state = store('state.db');
    const destination = new JsonlDestination(path, { stateStore: state });
    const summary = await runSync(options(destination, { streams: ['customers', 'orders'] }));
    destination.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; subject: string; data: unknown });
    expect(lines).toHaveLength(270);
    expect(summary.totals.inserted).toBe(270);
    expect(new Set(lines.map((line) => line.subject)).size).toBe(270);
    expect(lines[0]?.type).toBe('commerce.customer.updated');
    expect(state.listStates().map((entry) => entry.stream).sort()).toEqual(['customers', 'orders']);
  });

  it('writes each page of a batch as it is read, and stores the batch\'s checkpoint after all its lines', async () => {
    const chunks: string[] = [];
    const out = new Writable({ write: (chunk: Buffer, _encoding, done) => void (chunks.push(chunk.toString('utf8')), done()) });
    const lines = () => chunks.join('').split('\n').filter((line) => line !== '').length;
    const state = store('state.db');
    // The lines out whenever a checkpoint is stored.
    const linesAtCheckpoint: number[] = [];
    const watchedState = watch(state, 'setState', (...args: Parameters<SqliteStore['setState']>) => (linesAtCheckpoint.push(lines()), state.setState(...args)));
    const destination = new JsonlDestination(out, { stateStore: watchedState, failures: new Writable({ write: (_chunk, _encoding, done) => done() }) });
    // 230 orders in pages of 50, batches of 150: batch 1 is written whole, batch 2 page by page (pages 4 and 5).
    const summary = await runSync(options(destination, { streams: ['orders'], batchSize: 150 }));
    expect(summary.streams[0]).toMatchObject({ status: 'succeeded', inserted: 230 });
    expect(chunks).toHaveLength(3);
    expect(new Set(chunks.join('').trim().split('\n').map((line) => (JSON.parse(line) as { subject: string }).subject)).size).toBe(230);
    expect(linesAtCheckpoint).toEqual([150, 230]);
  });

  it('writes no page after a failed batch: the read stops there, with no checkpoint past its lines', async () => {
    const chunks: string[] = [];
    const out = new Writable({ write: (chunk: Buffer, _encoding, done) => void (chunks.push(chunk.toString('utf8')), done()) });
    const state = store('state.db');
    // The checkpoint of batch 1 cannot be stored (a full disk): its lines are out, nothing after them may be.
    const failing = watch(state, 'setState', () => {
      throw new Error('the disk is full');
    });
    const destination = new JsonlDestination(out, { stateStore: failing, failures: new Writable({ write: (_chunk, _encoding, done) => done() }) });
    const summary = await runSync(options(destination, { streams: ['orders'], batchSize: 150 }));
    expect(summary.streams[0]).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('the disk is full') } });
    expect(chunks.join('').trim().split('\n')).toHaveLength(150);
    expect(state.listStates()).toEqual([]);
  });
});

describe('runFlow', () => {
  it('runs a flow document into the SQLite file it names', async () => {
    const flow = {
      dsl: 'pullpush/flow/v1',
      id: 'shop-to-sqlite',
      source: { connector: 'testkit-shop', connection: 'main', streams: ['customers'] },
      destination: { kind: 'sqlite', path: '{{ $env.SHOP_DB }}' },
    } satisfies Flow;
    const path = join(dir, 'flow.db');
    const summary = await runFlow(flow, { definition: shopConnectorDefinition({ baseUrl: api.url }), config: { apiKey: TOKEN }, engine: LOCAL, env: { SHOP_DB: path } });
    expect(summary).toMatchObject({ status: 'succeeded', connection: 'main', destination: `sqlite:${path}` });
    const db = store('flow.db');
    expect(count(db, 'commerce_customer', "connection = 'main'")).toBe(40);
    await expect(runFlow({ ...flow, destination: { kind: 'sqlite', path: '{{ $env.MISSING }}' } }, { definition: shopConnectorDefinition({ baseUrl: api.url }), config: { apiKey: TOKEN }, env: {} })).rejects.toMatchObject({
      code: 'SYNC_INVALID_DESTINATION',
    });
  });
});
