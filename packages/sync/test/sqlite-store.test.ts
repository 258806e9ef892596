// The SQLite store on real files: upsert by canonical key with insert/update/unchanged/tombstone counts, newer
// versions never overwritten by older ones, checkpoints committed with their records (or not at all), failed
// records kept, runs logged, and a file from a newer layout refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { createCanonicalEvent } from '@pullpush/canonical';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, SqliteStore, tableNameOf, type Batch, type SyncSummary } from '../src/index.ts';

let dir: string;
const stores: SqliteStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-store-'));
});
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(name = 'sync.db'): SqliteStore {
  const store = openSqliteStore(join(dir, name));
  stores.push(store);
  return store;
}

const identity = { connector: 'shop', connection: 'main', stream: 'customers' };

function customer(id: string, updatedAt: string, extra: Record<string, unknown> = {}) {
  const record = { id: '', remote: { connector: 'shop', connection: 'main', stream: 'customers', id }, updatedAt, deleted: false, email: `${id}@example.com`, ...extra };
  return createCanonicalEvent('commerce.customer@1', record, { validate: false });
}

function batch(events: Batch['events'], extra: Partial<Batch> = {}): Batch {
  return { ...identity, runId: 'run-1', events, failures: [], ...extra };
}

function rows(store: SqliteStore, table = 'commerce_customer'): Array<Record<string, unknown>> {
  return store.database.prepare(`SELECT * FROM ${table} ORDER BY remote_id`).all() as Array<Record<string, unknown>>;
}

describe('SqliteStore.write', () => {
  it('inserts, updates, leaves unchanged and tombstones, one row per canonical key', () => {
    const store = open();
    expect(store.write(batch([customer('1', '2026-01-01T00:00:00Z'), customer('2', '2026-01-01T00:00:00Z')]))).toEqual({ inserted: 2, updated: 0, unchanged: 0, deleted: 0 });
    const again = store.write(batch([customer('1', '2026-01-01T00:00:00Z'), customer('2', '2026-01-02T00:00:00Z', { email: 'new@example.com' })]));
    expect(again).toEqual({ inserted: 0, updated: 1, unchanged: 1, deleted: 0 });
    expect(store.write(batch([customer('1', '2026-01-03T00:00:00Z', { deleted: true })]))).toEqual({ inserted: 0, updated: 0, unchanged: 0, deleted: 1 });
    // A tombstone seen again is not a second deletion.
    expect(store.write(batch([customer('1', '2026-01-03T00:00:00Z', { deleted: true })]))).toEqual({ inserted: 0, updated: 0, unchanged: 1, deleted: 0 });

    const stored = rows(store);
    expect(stored.map((row) => [row['remote_id'], row['deleted'], row['updated_at']])).toEqual([
      ['1', 1, '2026-01-03T00:00:00Z'],
      ['2', 0, '2026-01-02T00:00:00Z'],
    ]);
    expect(JSON.parse(String(stored[1]?.['data']))).toMatchObject({ email: 'new@example.com', remote: { id: '2' } });
    expect(stored[0]?.['key']).toBe('commerce.customer:shop:main:1');
    expect(stored.every((row) => row['connector'] === 'shop' && row['connection'] === 'main' && row['stream'] === 'customers' && row['canonical_version'] === 1)).toBe(true);
  });

  it('never overwrites a newer version with an older one (a replayed or out-of-order read)', () => {
    const store = open();
    store.write(batch([customer('1', '2026-02-01T10:00:00+01:00', { email: 'newer@example.com' })]));
    // 09:30Z is after 09:00Z (10:00+01:00) as an instant, although it sorts before it as text.
    expect(store.write(batch([customer('1', '2026-02-01T08:59:59Z', { email: 'older@example.com' })]))).toMatchObject({ unchanged: 1, updated: 0 });
    expect(store.write(batch([customer('1', '2026-02-01T09:30:00Z', { email: 'later@example.com' })]))).toMatchObject({ updated: 1 });
    expect(JSON.parse(String(rows(store)[0]?.['data']))).toMatchObject({ email: 'later@example.com' });
  });

  it('commits the checkpoint with the records, and neither when the batch fails', () => {
    const store = open();
    const state = { partitions: { '': { cursor: '2026-01-01T00:00:00Z' } } };
    store.write(batch([customer('1', '2026-01-01T00:00:00Z')], { state }));
    expect(store.getState(identity)).toEqual(state);

    // A native record JSON cannot hold, with a good one: the good one must not stay behind either.
    const failing = batch([customer('2', '2026-01-05T00:00:00Z')], { raws: [{ remoteId: '3', record: { id: 3, count: 10n } }], state: { partitions: { '': { cursor: '2026-01-05T00:00:00Z' } } } });
    expect(() => store.write(failing)).toThrow(expect.objectContaining({ code: 'SYNC_DATABASE' }));
    expect(store.getState(identity)).toEqual(state);
    expect(rows(store).map((row) => row['remote_id'])).toEqual(['1']);
  });

  it('stores each record as its canonical JSON, with the raw native record where the mapping kept it', () => {
    const store = open();
    const plain = customer('1', '2026-01-01T00:00:00Z');
    const withRaw = customer('2', '2026-01-01T00:00:00Z', { raw: { id: 2, tags: ['a'], nested: { 'x"y': null } } });
    store.write(batch([plain, withRaw]));
    const [first, second] = rows(store);
    expect(JSON.parse(String(first?.['data']))).toEqual(plain.data);
    expect(JSON.parse(String(second?.['data']))).toEqual(withRaw.data);
  });

  it('keeps failed records with their reason, issues and native record', () => {
    const store = open();
    store.write(batch([], { failures: [{ remoteId: '9', message: 'does not validate', issues: [{ pointer: '/email', message: 'must be an email', rule: 'format' }], native: { id: 9, email: 'x' } }] }));
    const [failed] = store.listFailedRecords({ connector: 'shop' });
    expect(failed).toMatchObject({ runId: 'run-1', stream: 'customers', remoteId: '9', message: 'does not validate', native: { id: 9, email: 'x' } });
    expect(failed?.issues).toEqual([{ pointer: '/email', message: 'must be an email', rule: 'format' }]);
    expect(store.listFailedRecords({ runId: 'other' })).toEqual([]);
  });

  it('lists one table per canonical type with its counts', () => {
    const store = open();
    store.write(batch([customer('1', '2026-01-01T00:00:00Z'), customer('2', '2026-01-01T00:00:00Z', { deleted: true })]));
    expect(store.listTables()).toEqual([{ table: 'commerce_customer', records: 2, deleted: 1 }]);
    expect(tableNameOf('crm.contact-list')).toBe('crm_contact_list');
  });

  it('indexes a record table by canonical key and by source (as PostgreSQL does), and no more', () => {
    const store = open();
    store.write(batch([customer('1', '2026-01-01T00:00:00Z')]));
    const indexes = (store.database.prepare("SELECT name FROM pragma_index_list('commerce_customer') ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
    // The key's own index (its primary key) and the source's; every further index is paid on each insert.
    expect(indexes).toEqual(['commerce_customer_source', 'sqlite_autoindex_commerce_customer_1']);
    const plan = store.database
      .prepare("EXPLAIN QUERY PLAN SELECT key FROM commerce_customer WHERE connector = 'shop' AND connection = 'main' AND stream = 'customers' AND remote_id = '1'")
      .all() as Array<{ detail: string }>;
    expect(plan.map((step) => step.detail).join('\n')).toContain('USING INDEX commerce_customer_source');
  });
});

describe('SqliteStore state and runs', () => {
  it('lists, filters and resets checkpoints', () => {
    const store = open();
    store.setState(identity, { partitions: { '': { cursor: 'a' } } });
    store.setState({ ...identity, stream: 'orders' }, { partitions: { '': { cursor: 'b' } } });
    store.setState({ ...identity, connection: 'other' }, { partitions: {} });
    expect(store.listStates({ connection: 'main' }).map((state) => state.stream)).toEqual(['customers', 'orders']);
    expect(store.resetState({ connection: 'main', stream: 'orders' })).toBe(1);
    expect(store.listStates().map((state) => `${state.connection}/${state.stream}`)).toEqual(['main/customers', 'other/customers']);
    expect(store.resetState()).toBe(2);
    expect(store.getState(identity)).toBeUndefined();
  });

  it('records runs and reads them back', () => {
    const store = open();
    const summary: SyncSummary = {
      runId: 'r1', connector: 'shop', connection: 'main', destination: 'sqlite:x', status: 'running', startedAt: '2026-01-01T00:00:00Z', durationMs: 0, streams: [],
      totals: { pages: 0, records: 0, failed: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0 },
    };
    store.recordRun(summary);
    store.recordRun({ ...summary, status: 'succeeded', finishedAt: '2026-01-01T00:01:00Z', durationMs: 60_000 });
    expect(store.listRuns()).toHaveLength(1);
    expect(store.getRun('r1')).toMatchObject({ status: 'succeeded', durationMs: 60_000 });
    expect(store.getRun('nope')).toBeUndefined();
  });

  it('is readable by another SQLite connection while open (WAL) and reopens with its data', () => {
    const path = join(dir, 'shared.db');
    const store = open('shared.db');
    store.write(batch([customer('1', '2026-01-01T00:00:00Z')], { state: { partitions: {} } }));
    const reader = new DatabaseSync(path, { readOnly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM commerce_customer').get()).toEqual({ n: 1 });
    reader.close();
    store.close();
    const again = open('shared.db');
    expect(again.getState(identity)).toEqual({ partitions: {} });
  });

  it('makes a new file of 16 KiB pages, so that records of about 2 KB share them, and keeps the pages of an existing file', () => {
    const store = open('new.db');
    // Seven 2 KB records: in 4 KiB pages each took a page of its own.
    store.write(batch(Array.from({ length: 7 }, (_, index) => customer(String(index), '2026-01-01T00:00:00Z', { note: 'x'.repeat(1900) }))));
    const pragma = (of: SqliteStore, name: string) => Object.values(of.database.prepare(`PRAGMA ${name}`).get() as object)[0];
    expect(pragma(store, 'page_size')).toBe(16_384);
    // A checkpoint every 64 MiB of WAL, in pages of that size.
    expect(pragma(store, 'wal_autocheckpoint')).toBe(4096);
    expect(store.database.prepare("SELECT count(*) AS pages FROM dbstat WHERE name = 'commerce_customer' AND pagetype = 'leaf'").get()).toEqual({ pages: 1 });

    const path = join(dir, 'old.db');
    const db = new DatabaseSync(path);
    db.exec('PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE kept (x)');
    db.close();
    const old = open('old.db');
    old.write(batch([customer('1', '2026-01-01T00:00:00Z')]));
    expect(pragma(old, 'page_size')).toBe(4096);
    expect(pragma(old, 'wal_autocheckpoint')).toBe(16_384);
  });

  it('refuses a file written by a newer layout, and a closed store', () => {
    const path = join(dir, 'future.db');
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE pullpush_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT; INSERT INTO pullpush_meta VALUES ('schema_version', '99')");
    db.close();
    expect(() => open('future.db')).toThrow(expect.objectContaining({ code: 'SYNC_DATABASE_VERSION' }));
    const store = open();
    store.close();
    expect(() => store.getState(identity)).toThrow(expect.objectContaining({ code: 'SYNC_CLOSED' }));
  });

  it('names the file when it cannot be opened', () => {
    const path = join(dir, 'not-a-db');
    rmSync(path, { force: true });
    // A directory where the file should be.
    expect(() => new SqliteStore(dir)).toThrow(expect.objectContaining({ code: 'SYNC_DATABASE', message: expect.stringContaining(dir) }));
  });
});

describe('SqliteStore background writer', () => {
  /** A store with its table made by a first batch, and its background writer, which takes parts ahead of a batch. */
  function storeWithWriter() {
    const store = open();
    store.write(batch([customer('0', '2026-01-01T00:00:00Z')]));
    const writer = store.openBackgroundWriter();
    if (!writer?.append) throw new Error('the SQLite writer takes parts ahead of a batch');
    return { store, writer: writer as typeof writer & { append: NonNullable<typeof writer.append> } };
  }

  it("runs on a thread that loads the store's tables, not the canonical types (a thread is started per stream)", () => {
    // What the thread imports, followed through this package's modules; type-only imports are erased.
    const visited = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (visited.has(file)) return;
      visited.add(file);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)) {
        if (specifier?.startsWith('.')) visit(resolve(dirname(file), specifier));
        else packages.add(specifier as string);
      }
    };
    visit(fileURLToPath(new URL('../src/sqlite-writer-worker.ts', import.meta.url)));
    expect([...packages].sort()).toEqual(['@pullpush/canonical/errors', 'node:crypto', 'node:sqlite', 'node:worker_threads']);
  });

  it('commits batches in order on its own thread, with their checkpoints, and writes nothing after a failed one', async () => {
    const store = open();
    // The table exists, and a trigger makes the database refuse customer 2, as a full disk or a constraint would.
    store.write(batch([customer('0', '2026-01-01T00:00:00Z')]));
    store.database.exec("CREATE TRIGGER refuse_two BEFORE INSERT ON commerce_customer WHEN NEW.remote_id = '2' BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END;");
    const writer = store.openBackgroundWriter();
    if (!writer) throw new Error('a file-backed store has a background writer');
    const cursor = (at: string) => ({ partitions: { '': { cursor: at } } });
    // Given all at once, as a sync hands them over while it reads on.
    const first = writer.write(batch([customer('1', '2026-01-01T00:00:00Z')], { state: cursor('1') }));
    const second = writer.write(batch([customer('2', '2026-01-02T00:00:00Z')], { state: cursor('2') }));
    const third = writer.write(batch([customer('3', '2026-01-03T00:00:00Z')], { state: cursor('3') }));
    await expect(first).resolves.toEqual({ inserted: 1, updated: 0, unchanged: 0, deleted: 0 });
    await expect(second).rejects.toMatchObject({ code: 'SYNC_DATABASE', message: expect.stringContaining('refused by a trigger') });
    await expect(third).rejects.toMatchObject({ code: 'SYNC_DATABASE', message: expect.stringContaining('an earlier batch of this run failed') });
    await expect(writer.write(batch([customer('4', '2026-01-04T00:00:00Z')]))).rejects.toMatchObject({ code: 'SYNC_DATABASE' });
    await writer.close();
    expect(rows(store).map((row) => row['remote_id'])).toEqual(['0', '1']);
    expect(store.getState(identity)).toEqual(cursor('1'));
  });

  it('writes the parts sent ahead of a batch in its transaction, all of them or none', async () => {
    const { store, writer } = storeWithWriter();
    const cursor = (at: string) => ({ partitions: { '': { cursor: at } } });
    writer.append(batch([customer('1', '2026-01-01T00:00:00Z')]));
    writer.append(batch([customer('2', '2026-01-02T00:00:00Z')]));
    await expect(writer.write(batch([customer('3', '2026-01-03T00:00:00Z')], { state: cursor('3') }))).resolves.toEqual({ inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
    expect(rows(store).map((row) => row['remote_id'])).toEqual(['0', '1', '2', '3']);
    expect(store.getState(identity)).toEqual(cursor('3'));
    // A part the database refuses takes its whole batch with it (the part before it too), and the checkpoint stays.
    store.database.exec("CREATE TRIGGER refuse_five BEFORE INSERT ON commerce_customer WHEN NEW.remote_id = '5' BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END;");
    writer.append(batch([customer('4', '2026-01-04T00:00:00Z')]));
    writer.append(batch([customer('5', '2026-01-05T00:00:00Z')]));
    await expect(writer.write(batch([customer('6', '2026-01-06T00:00:00Z')], { state: cursor('6') }))).rejects.toMatchObject({ code: 'SYNC_DATABASE', message: expect.stringContaining('refused by a trigger') });
    await writer.close();
    expect(rows(store).map((row) => row['remote_id'])).toEqual(['0', '1', '2', '3']);
    expect(store.getState(identity)).toEqual(cursor('3'));
  });

  it('a part JSON cannot hold fails the batch it belongs to, naming its stream', async () => {
    const { store, writer } = storeWithWriter();
    writer.append(batch([customer('1', '2026-01-01T00:00:00Z')], { raws: [{ remoteId: '1', record: { count: 10n } }] }));
    await expect(writer.write(batch([customer('2', '2026-01-01T00:00:00Z')]))).rejects.toMatchObject({ code: 'SYNC_DATABASE', message: expect.stringContaining('stream customers') });
    await writer.close();
    expect(rows(store).map((row) => row['remote_id'])).toEqual(['0']);
  });

  it('refuses a batch JSON cannot hold without writing any of it, and none for an in-memory store', async () => {
    const store = open();
    const writer = store.openBackgroundWriter();
    if (!writer) throw new Error('a file-backed store has a background writer');
    const poisoned = batch([customer('1', '2026-01-01T00:00:00Z')], { raws: [{ remoteId: '1', record: { count: 10n } }] });
    await expect(writer.write(poisoned)).rejects.toMatchObject({ code: 'SYNC_DATABASE', message: expect.stringContaining('stream customers') });
    await expect(writer.write(batch([customer('2', '2026-01-01T00:00:00Z')]))).rejects.toMatchObject({ code: 'SYNC_DATABASE' });
    await writer.close();
    expect(store.getState(identity)).toBeUndefined();
    const memory = new SqliteStore(':memory:');
    stores.push(memory);
    expect(memory.openBackgroundWriter()).toBeUndefined();
  });
});

