// The PostgreSQL destination, state store and run log (through `pg`, pure JavaScript): the same layout as the
// SQLite store — a table per canonical type, a table per raw stream, the stream checkpoints, the failed records
// and the runs — in a schema of the user's database. Each batch's records, failures and checkpoint commit in one
// transaction, so a process killed at any instant leaves either all of them or none, as with SQLite. Rows are
// written with one statement per table and batch (arrays unnested server-side), not one per record.
import { createHash } from 'node:crypto';
import { PullPushError } from '@pullpush/canonical';
import type { StreamState } from '@pullpush/engine';
import type pg from 'pg';
import type { BackgroundWriter, Batch, Destination, StateStore, StoredState, StreamIdentity, WriteCounts } from './destination.ts';
import type { RunLog, SyncSummary } from './summary.ts';
import { SyncErrorCode } from './errors.ts';
import { SerialWrites } from './serial-writes.ts';
import { POSTGRES_OUTBOX_TABLES } from './postgres-outbox.ts';
import { PostgresConnection, quoted } from './postgres-connection.ts';
import { filterClause, instant } from './store-queries.ts';
import { rawTableNameOf, tableNameOf } from './sqlite-tables.ts';
import { prepareBatch, type PreparedBatch, type PreparedRow } from './sqlite-rows.ts';

export interface PostgresStoreOptions {
  /** The schema the tables live in (created when missing); default `public`. */
  schema?: string;
  /** Connections kept open at most (default 4): one per batch being committed, and one for checkpoint reads. */
  maxConnections?: number;
  /** Clock for synced_at and checkpoints (tests). */
  now?: () => Date;
  /**
   * A flow id: every new, changed or deleted canonical record is also put in that flow's outbox, in the transaction
   * that stores it with its checkpoint, for delivery to a connector destination (deliver()).
   */
  outbox?: string;
}

const META_TABLES = (schema: string) => `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_state (
  connector TEXT NOT NULL, connection TEXT NOT NULL, stream TEXT NOT NULL,
  state JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (connector, connection, stream)
);
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_failed_records (
  id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL,
  connector TEXT NOT NULL, connection TEXT NOT NULL, stream TEXT NOT NULL, remote_id TEXT NOT NULL,
  message TEXT NOT NULL, issues JSONB NOT NULL, native JSONB, failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS pullpush_failed_records_source ON ${schema}.pullpush_failed_records (connector, connection, stream, remote_id);
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_runs (
  id TEXT PRIMARY KEY, connector TEXT NOT NULL, connection TEXT NOT NULL, destination TEXT NOT NULL,
  status TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, summary JSONB NOT NULL
);`;

const recordTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  key TEXT PRIMARY KEY,
  canonical_version INTEGER NOT NULL,
  data JSONB NOT NULL,
  connector TEXT NOT NULL, connection TEXT NOT NULL, stream TEXT NOT NULL, remote_id TEXT NOT NULL,
  updated_at TIMESTAMPTZ,
  deleted BOOLEAN NOT NULL DEFAULT false,
  event_id TEXT NOT NULL,
  synced_at TIMESTAMPTZ NOT NULL,
  seen_run TEXT
)`;

const rawTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  connection TEXT NOT NULL, remote_id TEXT NOT NULL,
  data JSONB NOT NULL,
  digest TEXT NOT NULL,
  deleted BOOLEAN NOT NULL DEFAULT false,
  synced_at TIMESTAMPTZ NOT NULL,
  seen_run TEXT,
  PRIMARY KEY (connection, remote_id)
)`;

export class PostgresStore implements Destination, StateStore, RunLog {
  readonly description: string;
  readonly stateStore: StateStore = this;
  readonly schema: string;
  readonly #db: PostgresConnection;
  readonly #now: () => Date;
  readonly #outbox: string | undefined;
  readonly #tables = new Set<string>();
  #ready: Promise<void> | undefined;
  #open = true;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.#db = new PostgresConnection(url, options);
    this.schema = this.#db.schema;
    this.description = this.#db.description;
    this.#now = options.now ?? (() => new Date());
    this.#outbox = options.outbox;
  }

  #table(name: string): string {
    return this.#db.table(name);
  }

  /** Connects once and creates the shared tables (the outbox's too, for a flow's store); every operation waits for it. */
  #connect(): Promise<void> {
    if (!this.#open) return Promise.reject(new PullPushError(SyncErrorCode.Closed, `The PostgreSQL store ${this.description} is closed.`, { hint: 'Open it again.' }));
    this.#ready ??= this.#db.createOnce(META_TABLES(quoted(this.schema)) + (this.#outbox === undefined ? '' : POSTGRES_OUTBOX_TABLES(quoted(this.schema))));
    return this.#ready;
  }

  #query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], client?: pg.PoolClient): Promise<pg.QueryResult<R>> {
    return this.#db.query<R>(text, values, client);
  }

  /** Creates a record or raw table the first time a batch needs it (outside the batch's transaction). */
  async #ensureTable(name: string, ddl: (qualified: string) => string): Promise<void> {
    if (this.#tables.has(name)) return;
    await this.#db.createOnce(ddl(this.#table(name)));
    if (!name.startsWith('raw_')) await this.#db.createOnce(`CREATE INDEX IF NOT EXISTS ${quoted(`${name}_source`)} ON ${this.#table(name)} (connector, connection, stream, remote_id)`);
    this.#tables.add(name);
  }

  async write(batch: Batch): Promise<WriteCounts> {
    await this.#connect();
    const prepared = prepareBatch(batch, this.#now().toISOString(), this.description);
    const types = new Set(prepared.rows.map((row) => row.canonicalType));
    for (const type of types) await this.#ensureTable(tableNameOf(type), recordTable);
    if (prepared.raws.length > 0) await this.#ensureTable(rawTableNameOf(batch.connector, batch.stream), rawTable);
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
    await this.#db.transaction(`Writing ${prepared.rows.length + prepared.raws.length} records of stream ${batch.stream}`, async (client) => {
      for (const type of types) await this.#writeRows(client, prepared, type, counts);
      if (prepared.raws.length > 0) await this.#writeRaws(client, prepared, counts);
      if (prepared.failures.length > 0) {
        await client.query(
          `INSERT INTO ${this.#table('pullpush_failed_records')} (run_id, connector, connection, stream, remote_id, message, issues, native, failed_at)
           SELECT $1, $2, $3, $4, f.remote_id, f.message, f.issues::jsonb, f.native::jsonb, $5 FROM unnest($6::text[], $7::text[], $8::text[], $9::text[]) AS f(remote_id, message, issues, native)`,
          [
            prepared.runId,
            prepared.connector,
            prepared.connection,
            prepared.stream,
            prepared.syncedAt,
            prepared.failures.map((failure) => failure.remoteId),
            prepared.failures.map((failure) => failure.message),
            prepared.failures.map((failure) => failure.issues),
            prepared.failures.map((failure) => failure.native),
          ],
        );
      }
      if (prepared.state !== undefined) await this.#putState(client, prepared, prepared.state, prepared.syncedAt);
    });
    return counts;
  }

  /**
   * Commits batches in the order given while the sync reads on: PostgreSQL works on its own, so a write in flight
   * costs the reading thread nothing. After a failed batch it refuses the rest, as the SQLite writer does.
   */
  openBackgroundWriter(): BackgroundWriter {
    const writes = new SerialWrites();
    return {
      write: (batch) =>
        writes.run(
          () => this.write(batch),
          () => new PullPushError(SyncErrorCode.Database, `Batch of stream ${batch.stream} not written: an earlier batch failed.`, { hint: 'Nothing after the failed batch was written; rerun the sync.' }),
        ),
      close: () => writes.idle(),
    };
  }

  /**
   * The batch's records of one canonical type: the stored versions of their keys read first (locked for the
   * transaction), each record decided in order as the SQLite store decides it, then the changed ones upserted in
   * one statement.
   */
  async #writeRows(client: pg.PoolClient, batch: PreparedBatch, type: string, counts: WriteCounts): Promise<void> {
    const table = this.#table(tableNameOf(type));
    const rows = batch.rows.filter((row) => row.canonicalType === type);
    const stored = await client.query<{ key: string; event_id: string; deleted: boolean; updated_at: Date | null }>(
      `SELECT key, event_id, deleted, updated_at FROM ${table} WHERE key = ANY($1::text[]) FOR UPDATE`,
      [rows.map((row) => row.key)],
    );
    const current = new Map(stored.rows.map((row) => [row.key, { eventId: row.event_id, deleted: row.deleted, updatedAt: instant(row.updated_at) }]));
    const written = new Map<string, PreparedRow>();
    const seen: string[] = [];
    for (const row of rows) {
      const existing = current.get(row.key);
      const incoming = instant(row.updatedAt);
      // An older version than the stored one (an out-of-order or replayed read) never overwrites a newer one.
      if (existing && ((existing.eventId === row.eventId && existing.deleted === (row.deleted === 1)) || (existing.updatedAt !== undefined && incoming !== undefined && incoming < existing.updatedAt))) {
        if (batch.markSeen) seen.push(row.key);
        counts.unchanged += 1;
        continue;
      }
      if (row.deleted === 1 && !existing?.deleted) counts.deleted += 1;
      else if (existing) counts.updated += 1;
      else counts.inserted += 1;
      current.set(row.key, { eventId: row.eventId, deleted: row.deleted === 1, updatedAt: incoming });
      written.set(row.key, row);
    }
    if (written.size > 0) {
      const list = [...written.values()];
      await client.query(
        `INSERT INTO ${table} (key, canonical_version, data, connector, connection, stream, remote_id, updated_at, deleted, event_id, synced_at, seen_run)
         SELECT r.key, r.version, r.data::jsonb, $1, $2, $3, r.remote_id, r.updated_at::timestamptz, r.deleted, r.event_id, $4, $5
         FROM unnest($6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[]) AS r(key, version, data, remote_id, updated_at, deleted, event_id)
         ON CONFLICT (key) DO UPDATE SET canonical_version = excluded.canonical_version, data = excluded.data, connector = excluded.connector,
           connection = excluded.connection, stream = excluded.stream, remote_id = excluded.remote_id, updated_at = excluded.updated_at,
           deleted = excluded.deleted, event_id = excluded.event_id, synced_at = excluded.synced_at, seen_run = excluded.seen_run`,
        [
          batch.connector,
          batch.connection,
          batch.stream,
          batch.syncedAt,
          batch.runId,
          list.map((row) => row.key),
          list.map((row) => row.canonicalVersion),
          list.map((row) => row.data),
          list.map((row) => row.remoteId),
          list.map((row) => row.updatedAt),
          list.map((row) => row.deleted === 1),
          list.map((row) => row.eventId),
        ],
      );
    }
    if (seen.length > 0) await client.query(`UPDATE ${table} SET seen_run = $1 WHERE key = ANY($2::text[])`, [batch.runId, seen]);
    if (this.#outbox !== undefined && written.size > 0) {
      // In the batch's order: the outbox's sequence is the order a key's versions are delivered in.
      const list = [...written.values()];
      await client.query(
        `INSERT INTO ${this.#table('pullpush_outbox')} (flow, key, canonical_type, event_id, deleted, data, enqueued_at)
         SELECT $1, r.key, r.type, r.event_id, r.deleted, r.data, $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[]) WITH ORDINALITY AS r(key, type, event_id, deleted, data, position) ORDER BY r.position`,
        [
          this.#outbox,
          batch.syncedAt,
          list.map((row) => row.key),
          list.map((row) => `${row.canonicalType}@${row.canonicalVersion}`),
          list.map((row) => row.eventId),
          list.map((row) => row.deleted === 1),
          list.map((row) => row.data),
        ],
      );
    }
  }

  /** Native records of a raw stream: changed ones (by a digest of their JSON) written, the others counted unchanged. */
  async #writeRaws(client: pg.PoolClient, batch: PreparedBatch, counts: WriteCounts): Promise<void> {
    const table = this.#table(rawTableNameOf(batch.connector, batch.stream));
    const stored = await client.query<{ remote_id: string; digest: string; deleted: boolean }>(
      `SELECT remote_id, digest, deleted FROM ${table} WHERE connection = $1 AND remote_id = ANY($2::text[]) FOR UPDATE`,
      [batch.connection, batch.raws.map((raw) => raw.remoteId)],
    );
    const current = new Map(stored.rows.map((row) => [row.remote_id, row]));
    const written = new Map<string, { data: string; digest: string }>();
    const seen: string[] = [];
    for (const raw of batch.raws) {
      const digest = createHash('sha256').update(raw.data).digest('base64url');
      const existing = current.get(raw.remoteId);
      if (existing && existing.digest === digest && !existing.deleted) {
        if (batch.markSeen) seen.push(raw.remoteId);
        counts.unchanged += 1;
        continue;
      }
      if (existing) counts.updated += 1;
      else counts.inserted += 1;
      current.set(raw.remoteId, { remote_id: raw.remoteId, digest, deleted: false });
      written.set(raw.remoteId, { data: raw.data, digest });
    }
    if (written.size > 0) {
      await client.query(
        `INSERT INTO ${table} (connection, remote_id, data, digest, deleted, synced_at, seen_run)
         SELECT $1, r.remote_id, r.data::jsonb, r.digest, false, $2, $3 FROM unnest($4::text[], $5::text[], $6::text[]) AS r(remote_id, data, digest)
         ON CONFLICT (connection, remote_id) DO UPDATE SET data = excluded.data, digest = excluded.digest, deleted = false, synced_at = excluded.synced_at, seen_run = excluded.seen_run`,
        [batch.connection, batch.syncedAt, batch.runId, [...written.keys()], [...written.values()].map((raw) => raw.data), [...written.values()].map((raw) => raw.digest)],
      );
    }
    if (seen.length > 0) await client.query(`UPDATE ${table} SET seen_run = $1 WHERE connection = $2 AND remote_id = ANY($3::text[])`, [batch.runId, batch.connection, seen]);
  }

  /** Marks the stream's records this run did not see as deleted; returns how many. */
  async tombstoneUnseen(identity: StreamIdentity, runId: string, canonicalType: string | undefined): Promise<number> {
    await this.#connect();
    const syncedAt = this.#now().toISOString();
    if (canonicalType === undefined) {
      const name = rawTableNameOf(identity.connector, identity.stream);
      await this.#ensureTable(name, rawTable);
      const result = await this.#query(`UPDATE ${this.#table(name)} SET deleted = true, synced_at = $1 WHERE connection = $2 AND NOT deleted AND (seen_run IS NULL OR seen_run <> $3)`, [
        syncedAt,
        identity.connection,
        runId,
      ]);
      return result.rowCount ?? 0;
    }
    const name = tableNameOf(canonicalType.split('@')[0] as string);
    await this.#ensureTable(name, recordTable);
    const result = await this.#query(
      `UPDATE ${this.#table(name)} SET deleted = true, data = jsonb_set(data, '{deleted}', 'true'), synced_at = $1
       WHERE connector = $2 AND connection = $3 AND stream = $4 AND NOT deleted AND (seen_run IS NULL OR seen_run <> $5)`,
      [syncedAt, identity.connector, identity.connection, identity.stream, runId],
    );
    return result.rowCount ?? 0;
  }

  async #putState(client: pg.PoolClient | undefined, identity: StreamIdentity, state: string, at: string): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#table('pullpush_state')} (connector, connection, stream, state, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (connector, connection, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [identity.connector, identity.connection, identity.stream, state, at],
      client,
    );
  }

  async getState(identity: StreamIdentity): Promise<StreamState | undefined> {
    await this.#connect();
    const result = await this.#query<{ state: StreamState }>(`SELECT state FROM ${this.#table('pullpush_state')} WHERE connector = $1 AND connection = $2 AND stream = $3`, [
      identity.connector,
      identity.connection,
      identity.stream,
    ]);
    return result.rows[0]?.state;
  }

  async setState(identity: StreamIdentity, state: StreamState): Promise<void> {
    await this.#connect();
    await this.#putState(undefined, identity, JSON.stringify(state), this.#now().toISOString());
  }

  async listStates(filter: Partial<StreamIdentity> = {}): Promise<StoredState[]> {
    await this.#connect();
    const { where, values } = filterClause(filter, (position) => `$${position}`);
    const result = await this.#query<{ connector: string; connection: string; stream: string; state: StreamState; updated_at: Date }>(
      `SELECT connector, connection, stream, state, updated_at FROM ${this.#table('pullpush_state')} ${where} ORDER BY connector, connection, stream`,
      values,
    );
    return result.rows.map((row) => ({ connector: row.connector, connection: row.connection, stream: row.stream, state: row.state, updatedAt: row.updated_at.toISOString() }));
  }

  async resetState(filter: Partial<StreamIdentity> = {}): Promise<number> {
    await this.#connect();
    const { where, values } = filterClause(filter, (position) => `$${position}`);
    return (await this.#query(`DELETE FROM ${this.#table('pullpush_state')} ${where}`, values)).rowCount ?? 0;
  }

  /** Canonical and raw tables of the schema, with their record counts. */
  async listTables(): Promise<Array<{ table: string; records: number; deleted: number }>> {
    await this.#connect();
    const tables = await this.#query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name NOT LIKE 'pullpush\\_%' ORDER BY table_name", [this.schema]);
    const counts = [];
    for (const { name } of tables.rows) {
      const row = (await this.#query<{ records: string; deleted: string }>(`SELECT count(*) AS records, count(*) FILTER (WHERE deleted) AS deleted FROM ${this.#table(name)}`)).rows[0];
      counts.push({ table: name, records: Number(row?.records ?? 0), deleted: Number(row?.deleted ?? 0) });
    }
    return counts;
  }

  async recordRun(summary: SyncSummary): Promise<void> {
    await this.#connect();
    await this.#query(
      `INSERT INTO ${this.#table('pullpush_runs')} (id, connector, connection, destination, status, started_at, finished_at, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, summary = excluded.summary`,
      [summary.runId, summary.connector, summary.connection, summary.destination, summary.status, summary.startedAt, summary.finishedAt ?? null, JSON.stringify(summary)],
    );
  }

  /** The latest runs, newest first. */
  async listRuns(limit = 50): Promise<SyncSummary[]> {
    await this.#connect();
    return (await this.#query<{ summary: SyncSummary }>(`SELECT summary FROM ${this.#table('pullpush_runs')} ORDER BY started_at DESC, id DESC LIMIT $1`, [limit])).rows.map((row) => row.summary);
  }

  async getRun(runId: string): Promise<SyncSummary | undefined> {
    await this.#connect();
    return (await this.#query<{ summary: SyncSummary }>(`SELECT summary FROM ${this.#table('pullpush_runs')} WHERE id = $1`, [runId])).rows[0]?.summary;
  }

  /** Queries of your own on the store's pool (read them; writing behind the store's back is yours). */
  async query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.#connect();
    return (await this.#query<R>(text, values)).rows;
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.#db.end();
  }
}
