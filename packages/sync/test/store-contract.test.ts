// One contract for every store that is a destination and a state store: the same tests run against SQLite (a file
// in a temp dir) and PostgreSQL (a schema of its own in the database PULLPUSH_TEST_POSTGRES_URL names, dropped
// afterwards, so two test runs at once never meet). CI starts PostgreSQL and sets the URL (.ci/run): there the
// PostgreSQL suite never skips. Elsewhere it skips with a message saying how to run it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanonicalEvent } from '@pullpush/canonical';
import type { Flow } from '@pullpush/schema';
import { shopConnectorDefinition, startTestApi } from '@pullpush/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { openDestination, PostgresStore, runFlow, runSync, SqliteStore, type Batch, type Destination, type RunLog, type StateStore } from '../src/index.ts';
import { dropSchemas, freshSchema, POSTGRES_URL } from './postgres.ts';


type Row = Record<string, unknown>;

/** A store under test, with what the tests read back through its own database. */
interface Subject {
  store: Destination & StateStore;
  /** The rows of a table, ordered by remote id, with deleted as a boolean and updated_at as milliseconds. */
  rows(table: string): Promise<Row[]>;
  failures(): Promise<Row[]>;
}

const identity = { connector: 'shop', connection: 'main', stream: 'customers' };

function customer(id: string, updatedAt: string, extra: Record<string, unknown> = {}) {
  const record = { id: '', remote: { connector: 'shop', connection: 'main', stream: 'customers', id }, updatedAt, deleted: false, email: `${id}@example.com`, ...extra };
  return createCanonicalEvent('commerce.customer@1', record, { validate: false });
}

function batch(events: Batch['events'], extra: Partial<Batch> = {}): Batch {
  return { ...identity, runId: 'run-1', events, failures: [], ...extra };
}

const normalized = (row: Row): Row => ({
  ...row,
  deleted: row['deleted'] === true || row['deleted'] === 1,
  updated_at: row['updated_at'] === null || row['updated_at'] === undefined ? null : new Date(row['updated_at'] as string).getTime(),
  data: typeof row['data'] === 'string' ? JSON.parse(row['data']) : row['data'],
});

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await dropSchemas();
});

function sqlite(): Subject {
  const dir = mkdtempSync(join(tmpdir(), 'pullpush-contract-'));
  dirs.push(dir);
  const store = new SqliteStore(join(dir, 'sync.db'));
  return {
    store,
    rows: async (table) => (store.database.prepare(`SELECT * FROM "${table}" ORDER BY remote_id`).all() as Row[]).map(normalized),
    failures: async () => (store.database.prepare('SELECT * FROM pullpush_failed_records ORDER BY id').all() as Row[]).map((row) => ({ ...row, issues: JSON.parse(String(row['issues'])), native: JSON.parse(String(row['native'])) })),
  };
}

function postgres(): Subject {
  const schema = freshSchema();
  const store = new PostgresStore(POSTGRES_URL as string, { schema });
  return {
    store,
    rows: async (table) => (await store.query(`SELECT * FROM "${schema}"."${table}" ORDER BY remote_id`)).map(normalized),
    failures: async () => store.query(`SELECT * FROM "${schema}".pullpush_failed_records ORDER BY id`),
  };
}

const stores: Array<[string, () => Subject, boolean]> = [
  ['SqliteStore', sqlite, true],
  ['PostgresStore', postgres, POSTGRES_URL !== undefined],
];

describe.each(stores)('%s (store contract)', (_name, open, available) => {
  const test = it.skipIf(!available);
  const subjects: Subject[] = [];
  const subject = () => {
    const opened = open();
    subjects.push(opened);
    return opened;
  };
  afterAll(async () => {
    for (const { store } of subjects.splice(0)) await store.close();
  });

  test('inserts, updates, leaves unchanged and tombstones, one row per canonical key', async () => {
    const { store, rows } = subject();
    expect(await store.write(batch([customer('1', '2026-01-01T00:00:00Z'), customer('2', '2026-01-01T00:00:00Z')]))).toEqual({ inserted: 2, updated: 0, unchanged: 0, deleted: 0 });
    expect(await store.write(batch([customer('1', '2026-01-01T00:00:00Z'), customer('2', '2026-01-02T00:00:00Z', { email: 'new@example.com' })]))).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 1,
      deleted: 0,
    });
    expect(await store.write(batch([customer('1', '2026-01-03T00:00:00Z', { deleted: true })]))).toEqual({ inserted: 0, updated: 0, unchanged: 0, deleted: 1 });
    // A tombstone seen again is not a second deletion.
    expect(await store.write(batch([customer('1', '2026-01-03T00:00:00Z', { deleted: true })]))).toEqual({ inserted: 0, updated: 0, unchanged: 1, deleted: 0 });
    const stored = await rows('commerce_customer');
    expect(stored.map((row) => [row['remote_id'], row['deleted'], row['updated_at']])).toEqual([
      ['1', true, Date.parse('2026-01-03T00:00:00Z')],
      ['2', false, Date.parse('2026-01-02T00:00:00Z')],
    ]);
    expect(stored[1]?.['data']).toMatchObject({ email: 'new@example.com', remote: { id: '2' } });
    expect(stored[0]?.['key']).toBe('commerce.customer:shop:main:1');
    expect(stored.every((row) => row['connector'] === 'shop' && row['connection'] === 'main' && row['stream'] === 'customers' && row['canonical_version'] === 1)).toBe(true);
  });

  test('counts a key twice in one batch as the two writes it is, and keeps the later version', async () => {
    const { store, rows } = subject();
    expect(await store.write(batch([customer('1', '2026-01-01T00:00:00Z'), customer('1', '2026-01-02T00:00:00Z', { email: 'second@example.com' })]))).toEqual({
      inserted: 1,
      updated: 1,
      unchanged: 0,
      deleted: 0,
    });
    expect((await rows('commerce_customer')).map((row) => (row['data'] as Row)['email'])).toEqual(['second@example.com']);
  });

  test('never overwrites a newer version with an older one (a replayed or out-of-order read)', async () => {
    const { store, rows } = subject();
    await store.write(batch([customer('1', '2026-02-01T10:00:00+01:00', { email: 'newer@example.com' })]));
    expect(await store.write(batch([customer('1', '2026-02-01T08:59:59Z', { email: 'older@example.com' })]))).toMatchObject({ unchanged: 1, updated: 0 });
    expect(await store.write(batch([customer('1', '2026-02-01T09:30:00Z', { email: 'later@example.com' })]))).toMatchObject({ updated: 1 });
    expect((await rows('commerce_customer'))[0]?.['data']).toMatchObject({ email: 'later@example.com' });
  });

  test('commits the checkpoint with the records, and neither when the batch cannot be written', async () => {
    const { store, rows } = subject();
    const state = { partitions: { '': { cursor: '2026-01-01T00:00:00Z' } } };
    await store.write(batch([customer('1', '2026-01-01T00:00:00Z')], { state }));
    expect(await store.getState(identity)).toEqual(state);
    const failing = batch([customer('2', '2026-01-05T00:00:00Z')], { raws: [{ remoteId: '3', record: { id: 3, count: 10n } }], state: { partitions: { '': { cursor: '2026-01-05T00:00:00Z' } } } });
    await expect(Promise.resolve().then(() => store.write(failing))).rejects.toMatchObject({ code: 'SYNC_DATABASE' });
    expect(await store.getState(identity)).toEqual(state);
    expect((await rows('commerce_customer')).map((row) => row['remote_id'])).toEqual(['1']);
  });

  test('stores each record as its canonical JSON, and failed records with their reason, issues and native record', async () => {
    const { store, rows, failures } = subject();
    const withRaw = customer('2', '2026-01-01T00:00:00Z', { raw: { id: 2, tags: ['a'], nested: { 'x"y': null } } });
    await store.write(batch([withRaw], { failures: [{ remoteId: '9', message: 'does not validate', issues: [{ pointer: '/email', message: 'must be an email', rule: 'format' }], native: { id: 9, email: 'x' } }] }));
    expect((await rows('commerce_customer'))[0]?.['data']).toEqual(withRaw.data);
    expect(await failures()).toMatchObject([
      { run_id: 'run-1', stream: 'customers', remote_id: '9', message: 'does not validate', issues: [{ pointer: '/email', message: 'must be an email', rule: 'format' }], native: { id: 9, email: 'x' } },
    ]);
  });

  test('lists, filters and resets checkpoints', async () => {
    const { store } = subject();
    const state = { partitions: { '': { cursor: 'c1' } } };
    await store.setState(identity, state);
    await store.setState({ ...identity, stream: 'orders' }, state);
    await store.setState({ ...identity, connection: 'other' }, state);
    expect((await store.listStates({ connection: 'main' })).map((entry) => entry.stream)).toEqual(['customers', 'orders']);
    expect((await store.listStates())[0]).toMatchObject({ ...identity, connection: 'main', state, updatedAt: expect.stringMatching(/^\d{4}-/) });
    expect(await store.resetState({ connection: 'main', stream: 'orders' })).toBe(1);
    expect(await store.getState({ ...identity, stream: 'orders' })).toBeUndefined();
    expect(await store.resetState()).toBe(2);
    expect(await store.listStates()).toEqual([]);
  });

  test('tombstones the records and raw records a complete run did not see', async () => {
    const { store, rows } = subject();
    const seen = { markSeen: true } as const;
    await store.write(batch([customer('1', '2026-01-01T00:00:00Z'), customer('2', '2026-01-01T00:00:00Z')], { ...seen, runId: 'run-a' }));
    await store.write(batch([customer('1', '2026-01-01T00:00:00Z')], { ...seen, runId: 'run-b' }));
    expect(await store.tombstoneUnseen?.(identity, 'run-b', 'commerce.customer@1')).toBe(1);
    expect((await rows('commerce_customer')).map((row) => [row['remote_id'], row['deleted'], (row['data'] as Row)['deleted']])).toEqual([
      ['1', false, false],
      ['2', true, true],
    ]);
    const raw = { ...identity, stream: 'projects' };
    expect(await store.write({ ...raw, runId: 'run-a', events: [], failures: [], raws: [{ remoteId: 'p1', record: { id: 'p1' } }, { remoteId: 'p2', record: { id: 'p2' } }], markSeen: true })).toMatchObject({ inserted: 2 });
    expect(await store.write({ ...raw, runId: 'run-b', events: [], failures: [], raws: [{ remoteId: 'p1', record: { id: 'p1' } }, { remoteId: 'p2', record: { id: 'p2', name: 'x' } }], markSeen: true })).toMatchObject({
      unchanged: 1,
      updated: 1,
    });
    await store.write({ ...raw, runId: 'run-c', events: [], failures: [], raws: [{ remoteId: 'p2', record: { id: 'p2', name: 'x' } }], markSeen: true });
    expect(await store.tombstoneUnseen?.(raw, 'run-c', undefined)).toBe(1);
    expect((await rows('raw_shop__projects')).map((row) => [row['remote_id'], row['deleted']])).toEqual([
      ['p1', true],
      ['p2', false],
    ]);
  });

  test('takes a whole sync of a testkit shop, and a second run writes nothing new', { timeout: 60_000 }, async () => {
    const { store, rows } = subject();
    const api = await startTestApi({ seed: 5, auth: { kind: 'bearer', token: 'contract' } });
    try {
      const options = { definition: shopConnectorDefinition({ baseUrl: api.url }), config: { apiKey: 'contract' }, destination: store, engine: { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const };
      const first = await runSync(options);
      expect(first.status).toBe('succeeded');
      expect((await rows('commerce_order')).length).toBe(api.data.orders.length);
      expect((await rows('commerce_stocklevel')).length).toBe(api.data.stock_levels.length);
      expect(first.totals.inserted).toBe(first.totals.records);
      const second = await runSync(options);
      expect(second.totals).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
      expect((await store.listStates()).map((entry) => entry.stream).sort()).toEqual(['customers', 'locations', 'orders', 'products', 'stock_levels']);
      // Both runs are in the store's run log, newest first.
      const log = store as unknown as RunLog;
      expect((await log.listRuns()).map((run) => [run.runId, run.status])).toEqual([
        [second.runId, 'succeeded'],
        [first.runId, 'succeeded'],
      ]);
      expect(await log.getRun(first.runId)).toMatchObject({ status: 'succeeded', totals: { inserted: first.totals.inserted } });
    } finally {
      await api.close();
    }
  });
});

describe.skipIf(POSTGRES_URL === undefined)('PostgresStore', () => {
  it('rolls a batch back whole when PostgreSQL refuses part of it: no record, no failure, no checkpoint', async () => {
    const { store, rows, failures } = postgres();
    try {
      const state = { partitions: { '': { cursor: 'before' } } };
      await store.write(batch([customer('1', '2026-01-01T00:00:00Z')], { state }));
      // An updatedAt PostgreSQL cannot read as a time fails the upsert after the first table was read and locked.
      const broken = batch([customer('2', '2026-01-02T00:00:00Z'), customer('3', 'not a time')], {
        failures: [{ remoteId: '9', message: 'x', issues: [] }],
        state: { partitions: { '': { cursor: 'after' } } },
      });
      await expect(store.write(broken)).rejects.toMatchObject({ code: 'SYNC_DATABASE', message: expect.stringContaining('Writing 2 records of stream customers') });
      expect((await rows('commerce_customer')).map((row) => row['remote_id'])).toEqual(['1']);
      expect(await failures()).toEqual([]);
      expect(await store.getState(identity)).toEqual(state);
    } finally {
      await store.close();
    }
  });

  it('lets several stores (workers) create the same schema and tables at the same moment', async () => {
    const schema = freshSchema('pullpush_race');
    const racers = Array.from({ length: 4 }, () => new PostgresStore(POSTGRES_URL as string, { schema }));
    try {
      const counts = await Promise.all(racers.map((store, index) => store.write({ ...batch([customer(String(index), '2026-01-01T00:00:00Z')]), stream: `s${index}` })));
      expect(counts.map((count) => count.inserted)).toEqual([1, 1, 1, 1]);
      expect(await racers[0]?.listTables()).toEqual([{ table: 'commerce_customer', records: 4, deleted: 0 }]);
    } finally {
      await Promise.all(racers.map((store) => store.close()));
    }
  });

  it('commits batches in order through its background writer, and none after a failed one', async () => {
    const { store, rows } = postgres();
    try {
      const writer = (store as PostgresStore).openBackgroundWriter();
      const first = writer.write(batch([customer('1', '2026-01-01T00:00:00Z')], { state: { partitions: { '': { cursor: 'one' } } } }));
      const broken = writer.write(batch([customer('2', 'not a time')], { state: { partitions: { '': { cursor: 'two' } } } }));
      const after = writer.write(batch([customer('3', '2026-01-03T00:00:00Z')], { state: { partitions: { '': { cursor: 'three' } } } }));
      await expect(first).resolves.toMatchObject({ inserted: 1 });
      await expect(broken).rejects.toMatchObject({ code: 'SYNC_DATABASE' });
      await expect(after).rejects.toMatchObject({ code: 'SYNC_DATABASE', message: expect.stringContaining('an earlier batch failed') });
      await writer.close();
      expect((await rows('commerce_customer')).map((row) => row['remote_id'])).toEqual(['1']);
      expect(await store.getState(identity)).toEqual({ partitions: { '': { cursor: 'one' } } });
    } finally {
      await store.close();
    }
  });

  it('opens from a postgres:// destination string with its schema, and names the server without the password', async () => {
    const url = new URL(POSTGRES_URL as string);
    const schema = freshSchema('pullpush_open');
    url.searchParams.set('schema', schema);
    const destination = openDestination(url.toString());
    try {
      expect(destination).toBeInstanceOf(PostgresStore);
      if (url.password) expect(destination.description).toContain(`${url.username}:***@${url.host}`);
      expect(destination.description).toContain(`schema ${schema}`);
      await destination.write(batch([customer('1', '2026-01-01T00:00:00Z')]));
      expect(await (destination as PostgresStore).listTables()).toEqual([{ table: 'commerce_customer', records: 1, deleted: 0 }]);
    } finally {
      await destination.close();
    }
  });
});

describe.skipIf(POSTGRES_URL === undefined)('a flow into PostgreSQL', () => {
  it('runs a flow whose destination is postgres, its URL from the environment and its schema from the flow', { timeout: 60_000 }, async () => {
    const api = await startTestApi({ seed: 9, dataset: { customers: 7 }, auth: { kind: 'bearer', token: 'flow' } });
    const schema = freshSchema('pullpush_flowdest');
    try {
      const flow: Flow = {
        dsl: 'pullpush/flow/v1',
        id: 'shop-to-warehouse',
        source: { connector: 'testkit-shop', connection: 'shop', streams: ['customers'] },
        destination: { kind: 'postgres', url: '{{ $env.WAREHOUSE_URL }}', schema },
      };
      const summary = await runFlow(flow, {
        definition: shopConnectorDefinition({ baseUrl: api.url }),
        config: { apiKey: 'flow' },
        engine: { allowPrivateNetwork: 'loopback', allowInsecureHttp: true },
        env: { WAREHOUSE_URL: POSTGRES_URL },
      });
      expect(summary).toMatchObject({ mode: 'live', status: 'succeeded', totals: { inserted: 7 } });
      const store = new PostgresStore(POSTGRES_URL as string, { schema });
      try {
        expect(await store.listTables()).toEqual([{ table: 'commerce_customer', records: 7, deleted: 0 }]);
      } finally {
        await store.close();
      }
    } finally {
      await api.close();
    }
  });
});

describe('PostgresStore without a server', () => {
  it('says which server it cannot reach, without the password, and how to fix it', async () => {
    const store = new PostgresStore('postgres://someone:s3cret-pw@127.0.0.1:1/nowhere', { schema: 'x' });
    try {
      const failure = await store.getState(identity).then(
        () => undefined,
        (error: unknown) => error as { code: string; message: string; hint: string },
      );
      expect(failure).toMatchObject({ code: 'SYNC_DATABASE', hint: expect.stringContaining('Check the URL') });
      expect(failure?.message).toContain('127.0.0.1:1');
      expect(failure?.message).not.toContain('s3cret-pw');
    } finally {
      await store.close();
    }
  });
});
