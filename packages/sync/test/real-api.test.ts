// Syncs against what real APIs do (testkit's self-hosted Redmine): all 1,200 issues although the server clamps the
// page size, nothing written when the key is wrong although issues are public data, raw streams into their own
// tables, tombstones for records a complete full read no longer returns, and a sync that never calls a partial
// read a success.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { redmineAuth, redmineConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlDestination, openSqliteStore, rawTableNameOf, runSync, type SqliteStore, type SyncOptions } from '../src/index.ts';

const KEY = 'redmine-sync-key-93b1f07c';
const LOCAL = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;

let dir: string;
let api: TestApi;
const stores: SqliteStore[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-sync-real-'));
  api = await startTestApi({ auth: redmineAuth(KEY), dataset: { tickets: 1200 } });
});
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(name = 'redmine.db'): SqliteStore {
  const opened = openSqliteStore(join(dir, name));
  stores.push(opened);
  return opened;
}

function options(destination: SyncOptions['destination'], extra: Partial<SyncOptions> = {}): SyncOptions {
  return { definition: redmineConnectorDefinition({ pageSize: 250 }), config: { baseUrl: `${api.url}/redmine`, apiKey: KEY }, destination, engine: LOCAL, ...extra };
}

function count(db: SqliteStore, table: string, where = '1 = 1'): number {
  return Number((db.database.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).get() as { n: number }).n);
}

describe('a self-hosted Redmine into SQLite', () => {
  it('syncs all 1,200 issues and the raw streams, and the next run asks only for what changed', async () => {
    const db = store();
    const summary = await runSync(options(db));
    expect(summary.status).toBe('succeeded');
    const byStream = Object.fromEntries(summary.streams.map((stream) => [stream.stream, stream]));
    expect(byStream['issues']).toMatchObject({ canonicalType: 'ticketing.ticket@1', records: 1200, inserted: 1200, pages: 12 });
    expect(byStream['issues']?.notes).toEqual(['The API sent 100 records per page where 250 were asked for; the read followed it.']);
    expect(byStream['projects']).toMatchObject({ canonicalType: '', records: api.data.projects.length, inserted: api.data.projects.length });
    expect(count(db, 'ticketing_ticket')).toBe(1200);
    expect(count(db, rawTableNameOf('testkit-redmine', 'projects'))).toBe(api.data.projects.length);
    const project = db.database.prepare(`SELECT data FROM "${rawTableNameOf('testkit-redmine', 'projects')}" WHERE remote_id = ?`).get(String(api.data.projects[0]?.id)) as { data: string };
    expect(JSON.parse(project.data)).toMatchObject({ id: api.data.projects[0]?.id, identifier: expect.any(String) });

    api.touch('tickets', [api.data.tickets[7]?.id as number]);
    api.resetRequests();
    const second = await runSync(options(db, { streams: ['issues'] }));
    const filter = api.requests.find((request) => request.path === '/redmine/issues.json')?.query['updated_on'];
    expect(filter).toMatch(/^>=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(second.streams[0]).toMatchObject({ status: 'succeeded', updated: 1 });
  });

  it('writes nothing with a wrong key, although issues are public data: the check reads the account first', async () => {
    const db = store();
    const summary = await runSync(options(db, { config: { baseUrl: `${api.url}/redmine`, apiKey: 'wrong-key-1234' } }));
    expect(summary).toMatchObject({ status: 'failed', streams: [], error: { code: 'ENGINE_HTTP_STATUS' } });
    expect(db.listTables()).toEqual([]);
    expect(api.requests.map((request) => request.path)).toEqual(['/redmine/my/account.json']);
  });

  it('a read that ends before the announced total fails the stream and keeps the cursor where it was', async () => {
    const db = store();
    await runSync(options(db, { streams: ['issues'] }));
    const before = db.listStates()[0]?.state;
    api.touch('tickets', api.data.tickets.slice(0, 150).map((ticket) => ticket.id));
    // While the second sync pages, issues are closed and no longer listed under this filter: the total shrinks.
    api.setOnRequest((request, server) => {
      if (request.path === '/redmine/issues.json' && request.query['offset'] === '100') server.remove('tickets', server.data.tickets.slice(0, 3).map((ticket) => ticket.id));
    });
    const summary = await runSync(options(db, { streams: ['issues'] }));
    expect(summary.status).toBe('failed');
    expect(summary.streams[0]?.error?.code).toBe('ENGINE_INCOMPLETE_READ');
    expect(db.listStates()[0]?.state).toEqual(before);
  });
});

describe('tombstones for records a complete full read no longer returns', () => {
  function tombstoning(): ReturnType<typeof redmineConnectorDefinition> {
    const definition = redmineConnectorDefinition();
    const projects = definition.streams['projects'] as Record<string, unknown>;
    projects['tombstoneMissing'] = true;
    const issues = definition.streams['issues'] as Record<string, unknown>;
    issues['tombstoneMissing'] = true;
    return definition;
  }

  it('marks them deleted after a full read, raw and canonical; never after an incremental one', async () => {
    const db = store();
    await runSync(options(db, { definition: tombstoning() }));
    const goneTickets = api.data.tickets.slice(0, 4).map((ticket) => ticket.id);
    const goneProject = api.data.projects.at(-1)?.id as number;
    api.remove('tickets', goneTickets);
    api.remove('projects', [goneProject]);

    // Incremental: issues has a cursor, so its read is not a full one and tombstones nothing.
    const incremental = await runSync(options(db, { definition: tombstoning(), streams: ['issues'] }));
    expect(incremental.streams[0]?.deleted).toBe(0);
    expect(count(db, 'ticketing_ticket', 'deleted = 1')).toBe(0);

    const full = await runSync(options(db, { definition: tombstoning(), full: true }));
    const byStream = Object.fromEntries(full.streams.map((stream) => [stream.stream, stream]));
    expect(byStream['issues']?.deleted).toBe(4);
    expect(byStream['projects']?.deleted).toBe(1);
    const rows = db.database.prepare('SELECT remote_id, data FROM ticketing_ticket WHERE deleted = 1 ORDER BY remote_id').all() as Array<{ remote_id: string; data: string }>;
    expect(rows.map((row) => row.remote_id)).toEqual(goneTickets.map(String).sort());
    expect(rows.every((row) => (JSON.parse(row.data) as { deleted: boolean }).deleted === true)).toBe(true);
    expect(count(db, rawTableNameOf('testkit-redmine', 'projects'), 'deleted = 1')).toBe(1);
  });

  it('never after a failed read', async () => {
    const db = store();
    await runSync(options(db, { definition: tombstoning(), streams: ['projects'] }));
    api.remove('projects', [api.data.projects[0]?.id as number]);
    api.setFaults([{ kind: 'status', status: 500, route: '/redmine/projects.json', after: 0 }]);
    const failed = await runSync(options(db, { definition: { ...tombstoning(), retry: { maxAttempts: 1 } }, streams: ['projects'], full: true }));
    expect(failed.streams[0]?.status).toBe('failed');
    expect(count(db, rawTableNameOf('testkit-redmine', 'projects'), 'deleted = 1')).toBe(0);
  });
});

describe('raw streams into JSON Lines', () => {
  it('writes each native record as a pullpush.raw.record CloudEvent', async () => {
    const path = join(dir, 'out.jsonl');
    const destination = new JsonlDestination(path);
    const summary = await runSync(options(destination, { streams: ['projects'] }));
    destination.close();
    expect(summary.status).toBe('succeeded');
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; subject: string; source: string; data: { id: number } });
    expect(lines).toHaveLength(api.data.projects.length);
    expect(lines[0]).toMatchObject({ type: 'pullpush.raw.record', source: 'pullpush://testkit-redmine/default/projects', subject: String(lines[0]?.data.id) });
  });
});

describe('a store file of the previous layout', () => {
  it('is upgraded in place: its records stay and records learn which run saw them', () => {
    const path = join(dir, 'v1.db');
    const v1 = new DatabaseSync(path);
    v1.exec(`CREATE TABLE pullpush_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      INSERT INTO pullpush_meta VALUES ('schema_version', '1');
      CREATE TABLE "commerce_order" (key TEXT PRIMARY KEY, canonical_version INTEGER NOT NULL, data TEXT NOT NULL, connector TEXT NOT NULL,
        connection TEXT NOT NULL, stream TEXT NOT NULL, remote_id TEXT NOT NULL, updated_at TEXT, deleted INTEGER NOT NULL DEFAULT 0,
        event_id TEXT NOT NULL, synced_at TEXT NOT NULL) STRICT;
      INSERT INTO commerce_order VALUES ('k1', 1, '{}', 'c', 'd', 'orders', '1', NULL, 0, 'e1', '2026-01-01T00:00:00Z');`);
    v1.close();
    const db = store('v1.db');
    expect(count(db, 'commerce_order')).toBe(1);
    const columns = (db.database.prepare("SELECT name FROM pragma_table_info('commerce_order')").all() as Array<{ name: string }>).map((column) => column.name);
    expect(columns).toContain('seen_run');
    expect(db.database.prepare("SELECT value FROM pullpush_meta WHERE key = 'schema_version'").get()).toEqual({ value: '2' });
  });
});
