// The embedded destination and state store: one SQLite file (node:sqlite, no native build) holding a table per
// canonical type, a table per raw stream, the stream checkpoints, the failed records and the run log. Records and
// the checkpoint that covers them commit in one transaction, so a process killed at any instant leaves either both
// or neither.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { PullPushError } from '@pullpush/canonical';
import type { StreamState } from '@pullpush/engine';
import type { BackgroundWriter, Batch, Destination, StateStore, StoredState, StreamIdentity, WriteCounts } from './destination.ts';
import { prepareBatch, type PreparedBatch } from './sqlite-rows.ts';
import { openSqliteFile } from './sqlite-file.ts';
import { SqliteBackgroundWriter } from './sqlite-writer.ts';
import { OUTBOX_TABLES } from './outbox.ts';
import { SyncErrorCode } from './errors.ts';
import { filterClause, instant } from './store-queries.ts';
import type { RunLog, SyncSummary } from './summary.ts';

/**
 * Layout version of the file; a newer file is refused rather than misread, an older one is brought up to date.
 * 2: records know the last run that saw them (tombstones of records a full read no longer returns); raw tables.
 */
const SCHEMA_VERSION = 2;

const META_TABLES = `
CREATE TABLE IF NOT EXISTS pullpush_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS pullpush_state (
  connector TEXT NOT NULL, connection TEXT NOT NULL, stream TEXT NOT NULL,
  state TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (connector, connection, stream)
) STRICT;
CREATE TABLE IF NOT EXISTS pullpush_failed_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL,
  connector TEXT NOT NULL, connection TEXT NOT NULL, stream TEXT NOT NULL, remote_id TEXT NOT NULL,
  message TEXT NOT NULL, issues TEXT NOT NULL, native TEXT, failed_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS pullpush_failed_records_source ON pullpush_failed_records (connector, connection, stream, remote_id);
CREATE TABLE IF NOT EXISTS pullpush_runs (
  id TEXT PRIMARY KEY, connector TEXT NOT NULL, connection TEXT NOT NULL, destination TEXT NOT NULL,
  status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, summary TEXT NOT NULL
) STRICT;
`;

/** `commerce.order` → `commerce_order`: canonical type names are lower-case words joined by dots and hyphens. */
export function tableNameOf(canonicalType: string): string {
  return canonicalType.replaceAll(/[.-]/g, '_');
}

/** `testkit-redmine` / `projects` → `raw_testkit_redmine__projects`: a raw stream's native records. */
export function rawTableNameOf(connector: string, stream: string): string {
  return `raw_${connector.replaceAll(/[^a-z0-9_]/g, '_')}__${stream}`;
}

function recordTable(table: string): string {
  return `
CREATE TABLE IF NOT EXISTS "${table}" (
  key TEXT PRIMARY KEY,
  canonical_version INTEGER NOT NULL,
  data TEXT NOT NULL,
  connector TEXT NOT NULL, connection TEXT NOT NULL, stream TEXT NOT NULL, remote_id TEXT NOT NULL,
  updated_at TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  event_id TEXT NOT NULL,
  synced_at TEXT NOT NULL,
  seen_run TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS "${table}_source" ON "${table}" (connector, connection, stream, remote_id);
CREATE INDEX IF NOT EXISTS "${table}_updated_at" ON "${table}" (updated_at);`;
}

/** A raw stream's table: the native record as the API sent it, keyed by connection and primary key. */
function rawTable(table: string): string {
  return `
CREATE TABLE IF NOT EXISTS "${table}" (
  connection TEXT NOT NULL, remote_id TEXT NOT NULL,
  data TEXT NOT NULL,
  digest TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  synced_at TEXT NOT NULL,
  seen_run TEXT,
  PRIMARY KEY (connection, remote_id)
) STRICT;`;
}

interface TableStatements {
  find: StatementSync;
  insert: StatementSync;
  update: StatementSync;
  /** Notes a record as seen by a run without changing it. */
  seen: StatementSync;
}

interface RawStatements {
  find: StatementSync;
  upsert: StatementSync;
  seen: StatementSync;
}

interface FailedRecordRow {
  id: number;
  runId: string;
  connector: string;
  connection: string;
  stream: string;
  remoteId: string;
  message: string;
  issues: unknown[];
  native: unknown;
  failedAt: string;
}

export interface SqliteStoreOptions {
  /** Clock for synced_at and checkpoints (tests). */
  now?: () => Date;
  /**
   * A flow id: every new, changed or deleted canonical record is also put in that flow's outbox, in the transaction
   * that stores it with its checkpoint, for delivery to a connector destination (deliver()).
   */
  outbox?: string;
}

export class SqliteStore implements Destination, StateStore, RunLog {
  readonly description: string;
  readonly stateStore: StateStore = this;
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #tables = new Map<string, TableStatements>();
  readonly #raws = new Map<string, RawStatements>();
  readonly #insertFailure: StatementSync;
  readonly #upsertState: StatementSync;
  readonly #enqueue: StatementSync;
  readonly #outbox: string | undefined;
  readonly #now: () => Date;
  #open = true;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.path = path === ':memory:' ? path : resolve(path);
    this.description = `sqlite:${path}`;
    this.#now = options.now ?? (() => new Date());
    this.#outbox = options.outbox;
    try {
      if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
      this.#db = openSqliteFile(this.path);
      this.#db.exec(META_TABLES);
      this.#db.exec(OUTBOX_TABLES);
    } catch (error) {
      throw new PullPushError(SyncErrorCode.Database, `Cannot open the SQLite file ${this.path}: ${(error as Error).message}`, {
        hint: 'Check that the directory is writable and that the file is a SQLite database (or does not exist yet).',
      });
    }
    const row = this.#db.prepare("SELECT value FROM pullpush_meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    if (!row) this.#db.prepare("INSERT INTO pullpush_meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
    else if (Number(row.value) > SCHEMA_VERSION) {
      this.#db.close();
      throw new PullPushError(SyncErrorCode.DatabaseVersion, `${this.path} was written by a newer @pullpush/sync (layout ${row.value}, this one knows ${SCHEMA_VERSION}).`, {
        hint: 'Upgrade @pullpush/sync (or the pullpush CLI) to read this file.',
      });
    } else if (Number(row.value) < SCHEMA_VERSION) this.#upgrade(Number(row.value));
    // Prepared once: every batch uses them.
    this.#insertFailure = this.#db.prepare(
      'INSERT INTO pullpush_failed_records (run_id, connector, connection, stream, remote_id, message, issues, native, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#enqueue = this.#db.prepare('INSERT INTO pullpush_outbox (flow, key, canonical_type, event_id, deleted, data, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#upsertState = this.#db.prepare(
      'INSERT INTO pullpush_state (connector, connection, stream, state, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (connector, connection, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    );
  }

  /** Brings a file of an older layout up to date, in one transaction. */
  #upgrade(from: number): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      if (from < 2) {
        for (const { name } of this.#recordTables()) this.#db.exec(`ALTER TABLE "${name}" ADD COLUMN seen_run TEXT`);
      }
      this.#db.prepare("UPDATE pullpush_meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION));
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw new PullPushError(SyncErrorCode.Database, `Cannot upgrade ${this.path} from layout ${from} to ${SCHEMA_VERSION}: ${(error as Error).message}`, {
        hint: 'Check that the file is writable; it was left as it was.',
      });
    }
  }

  /** The canonical record tables (raw ones start with raw_). */
  #recordTables(): Array<{ name: string }> {
    return this.#db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'pullpush_%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'raw_%' ORDER BY name").all() as Array<{ name: string }>;
  }

  #assertOpen(): void {
    if (!this.#open) throw new PullPushError(SyncErrorCode.Closed, `The SQLite store ${this.path} is closed.`, { hint: 'Open the file again.' });
  }

  #statements(canonicalType: string): TableStatements {
    let statements = this.#tables.get(canonicalType);
    if (!statements) {
      const table = tableNameOf(canonicalType);
      this.#db.exec(recordTable(table));
      const columns = 'canonical_version, data, connector, connection, stream, remote_id, updated_at, deleted, event_id, synced_at, seen_run';
      statements = {
        find: this.#db.prepare(`SELECT event_id, deleted, updated_at FROM "${table}" WHERE key = ?`),
        insert: this.#db.prepare(`INSERT INTO "${table}" (key, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
        update: this.#db.prepare(`UPDATE "${table}" SET (${columns}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE key = ?`),
        seen: this.#db.prepare(`UPDATE "${table}" SET seen_run = ? WHERE key = ?`),
      };
      this.#tables.set(canonicalType, statements);
    }
    return statements;
  }

  #rawStatements(connector: string, stream: string): RawStatements {
    const table = rawTableNameOf(connector, stream);
    let statements = this.#raws.get(table);
    if (!statements) {
      this.#db.exec(rawTable(table));
      statements = {
        find: this.#db.prepare(`SELECT digest, deleted FROM "${table}" WHERE connection = ? AND remote_id = ?`),
        upsert: this.#db.prepare(
          `INSERT INTO "${table}" (connection, remote_id, data, digest, deleted, synced_at, seen_run) VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (connection, remote_id) DO UPDATE SET data = excluded.data, digest = excluded.digest, deleted = 0, synced_at = excluded.synced_at, seen_run = excluded.seen_run`,
        ),
        seen: this.#db.prepare(`UPDATE "${table}" SET seen_run = ? WHERE connection = ? AND remote_id = ?`),
      };
      this.#raws.set(table, statements);
    }
    return statements;
  }

  /** Records, failures and the checkpoint of one batch, in one transaction. */
  write(batch: Batch): WriteCounts {
    this.#assertOpen();
    const prepared = prepareBatch(batch, this.#now().toISOString(), this.path);
    return this.writePrepared(this.#outbox === undefined ? prepared : { ...prepared, outbox: this.#outbox });
  }

  /**
   * A writer of this file on a thread of its own, so that a long sync commits one batch while it reads the next;
   * none for an in-memory database, which another connection cannot see.
   */
  openBackgroundWriter(): BackgroundWriter | undefined {
    this.#assertOpen();
    return this.path === ':memory:' ? undefined : new SqliteBackgroundWriter(this.path, this.#now, this.#outbox);
  }

  /** A prepared batch (see `prepareBatch`) in one transaction: what `write` and the background writer commit. */
  writePrepared(batch: PreparedBatch): WriteCounts {
    this.#assertOpen();
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
    const { syncedAt } = batch;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const row of batch.rows) {
        const statements = this.#statements(row.canonicalType);
        const { key, deleted } = row;
        const existing = statements.find.get(key) as { event_id: string; deleted: number; updated_at: string | null } | undefined;
        // An older version than the stored one (an out-of-order or replayed read) never overwrites a newer one.
        const stored = instant(existing?.updated_at);
        const incoming = instant(row.updatedAt);
        if (existing && ((existing.event_id === row.eventId && existing.deleted === deleted) || (stored !== undefined && incoming !== undefined && incoming < stored))) {
          if (batch.markSeen) statements.seen.run(batch.runId, key);
          counts.unchanged += 1;
          continue;
        }
        const values = [row.canonicalVersion, row.data, batch.connector, batch.connection, batch.stream, row.remoteId, row.updatedAt, deleted, row.eventId, syncedAt, batch.runId] as const;
        if (existing) statements.update.run(...values, key);
        else statements.insert.run(key, ...values);
        if (batch.outbox !== undefined) this.#enqueue.run(batch.outbox, key, `${row.canonicalType}@${row.canonicalVersion}`, row.eventId, deleted, row.data, syncedAt);
        if (deleted && !(existing && existing.deleted)) counts.deleted += 1;
        else if (existing) counts.updated += 1;
        else counts.inserted += 1;
      }
      if (batch.raws.length > 0) this.#writeRaws(batch, counts);
      for (const failure of batch.failures) {
        this.#insertFailure.run(batch.runId, batch.connector, batch.connection, batch.stream, failure.remoteId, failure.message, failure.issues, failure.native, syncedAt);
      }
      if (batch.state !== undefined) this.#upsertState.run(batch.connector, batch.connection, batch.stream, batch.state, syncedAt);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw new PullPushError(SyncErrorCode.Database, `Writing ${batch.rows.length + batch.raws.length} records of stream ${batch.stream} to ${this.path} failed: ${(error as Error).message}`, {
        hint: 'Nothing of this batch was written and its checkpoint did not move; rerun the sync once the database is writable.',
      });
    }
    return counts;
  }

  /** Native records of a raw stream: changed ones (by a digest of their JSON) written, the others counted unchanged. */
  #writeRaws(batch: PreparedBatch, counts: WriteCounts): void {
    const statements = this.#rawStatements(batch.connector, batch.stream);
    for (const raw of batch.raws) {
      const digest = createHash('sha256').update(raw.data).digest('base64url');
      const existing = statements.find.get(batch.connection, raw.remoteId) as { digest: string; deleted: number } | undefined;
      if (existing && existing.digest === digest && existing.deleted === 0) {
        if (batch.markSeen) statements.seen.run(batch.runId, batch.connection, raw.remoteId);
        counts.unchanged += 1;
        continue;
      }
      statements.upsert.run(batch.connection, raw.remoteId, raw.data, digest, batch.syncedAt, batch.runId);
      if (existing) counts.updated += 1;
      else counts.inserted += 1;
    }
  }

  /** Marks the stream's records this run did not see as deleted; returns how many. */
  tombstoneUnseen(identity: StreamIdentity, runId: string, canonicalType: string | undefined): number {
    this.#assertOpen();
    const syncedAt = this.#now().toISOString();
    if (canonicalType === undefined) {
      const table = rawTableNameOf(identity.connector, identity.stream);
      this.#rawStatements(identity.connector, identity.stream);
      return Number(
        this.#db.prepare(`UPDATE "${table}" SET deleted = 1, synced_at = ? WHERE connection = ? AND deleted = 0 AND (seen_run IS NULL OR seen_run != ?)`).run(syncedAt, identity.connection, runId).changes,
      );
    }
    const table = tableNameOf(canonicalType.split('@')[0] as string);
    this.#statements(canonicalType.split('@')[0] as string);
    return Number(
      this.#db
        .prepare(
          `UPDATE "${table}" SET deleted = 1, data = json_set(data, '$.deleted', json('true')), synced_at = ? WHERE connector = ? AND connection = ? AND stream = ? AND deleted = 0 AND (seen_run IS NULL OR seen_run != ?)`,
        )
        .run(syncedAt, identity.connector, identity.connection, identity.stream, runId).changes,
    );
  }

  #putState(identity: StreamIdentity, state: StreamState, at: string): void {
    this.#upsertState.run(identity.connector, identity.connection, identity.stream, JSON.stringify(state), at);
  }

  getState(identity: StreamIdentity): StreamState | undefined {
    this.#assertOpen();
    const row = this.#db.prepare('SELECT state FROM pullpush_state WHERE connector = ? AND connection = ? AND stream = ?').get(identity.connector, identity.connection, identity.stream) as
      | { state: string }
      | undefined;
    return row ? (JSON.parse(row.state) as StreamState) : undefined;
  }

  setState(identity: StreamIdentity, state: StreamState): void {
    this.#assertOpen();
    this.#putState(identity, state, this.#now().toISOString());
  }

  listStates(filter: Partial<StreamIdentity> = {}): StoredState[] {
    this.#assertOpen();
    const { where, values } = filterClause(filter, () => '?');
    const rows = this.#db.prepare(`SELECT connector, connection, stream, state, updated_at FROM pullpush_state ${where} ORDER BY connector, connection, stream`).all(...values) as Array<{
      connector: string;
      connection: string;
      stream: string;
      state: string;
      updated_at: string;
    }>;
    return rows.map((row) => ({ connector: row.connector, connection: row.connection, stream: row.stream, state: JSON.parse(row.state) as StreamState, updatedAt: row.updated_at }));
  }

  resetState(filter: Partial<StreamIdentity> = {}): number {
    this.#assertOpen();
    const { where, values } = filterClause(filter, () => '?');
    return Number(this.#db.prepare(`DELETE FROM pullpush_state ${where}`).run(...values).changes);
  }

  /** Failed records, newest first. */
  listFailedRecords(filter: Partial<StreamIdentity> & { runId?: string; limit?: number } = {}): FailedRecordRow[] {
    this.#assertOpen();
    const { where, values } = filterClause(filter, () => '?');
    const clause = filter.runId === undefined ? where : `${where ? `${where} AND` : 'WHERE'} run_id = ?`;
    const rows = this.#db
      .prepare(`SELECT * FROM pullpush_failed_records ${clause} ORDER BY id DESC LIMIT ?`)
      .all(...values, ...(filter.runId === undefined ? [] : [filter.runId]), filter.limit ?? 1000) as Array<Record<string, string | number | null>>;
    return rows.map((row) => ({
      id: Number(row['id']),
      runId: String(row['run_id']),
      connector: String(row['connector']),
      connection: String(row['connection']),
      stream: String(row['stream']),
      remoteId: String(row['remote_id']),
      message: String(row['message']),
      issues: JSON.parse(String(row['issues'])) as unknown[],
      native: row['native'] === null ? undefined : (JSON.parse(String(row['native'])) as unknown),
      failedAt: String(row['failed_at']),
    }));
  }

  /** Canonical types that have a table, with their record counts. */
  listTables(): Array<{ table: string; records: number; deleted: number }> {
    this.#assertOpen();
    const tables = this.#db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'pullpush_%' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
    return tables.map(({ name }) => {
      const row = this.#db.prepare(`SELECT count(*) AS records, coalesce(sum(deleted), 0) AS deleted FROM "${name}"`).get() as { records: number; deleted: number };
      return { table: name, records: Number(row.records), deleted: Number(row.deleted) };
    });
  }

  recordRun(summary: SyncSummary): void {
    this.#assertOpen();
    this.#db
      .prepare(
        'INSERT INTO pullpush_runs (id, connector, connection, destination, status, started_at, finished_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, summary = excluded.summary',
      )
      .run(summary.runId, summary.connector, summary.connection, summary.destination, summary.status, summary.startedAt, summary.finishedAt ?? null, JSON.stringify(summary));
  }

  listRuns(limit = 50): SyncSummary[] {
    this.#assertOpen();
    const rows = this.#db.prepare('SELECT summary FROM pullpush_runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as Array<{ summary: string }>;
    return rows.map((row) => JSON.parse(row.summary) as SyncSummary);
  }

  getRun(runId: string): SyncSummary | undefined {
    this.#assertOpen();
    const row = this.#db.prepare('SELECT summary FROM pullpush_runs WHERE id = ?').get(runId) as { summary: string } | undefined;
    return row ? (JSON.parse(row.summary) as SyncSummary) : undefined;
  }

  /** The underlying connection, for queries of your own (read it; writing behind the store's back is yours). */
  get database(): DatabaseSync {
    this.#assertOpen();
    return this.#db;
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }
}

/** Opens (creating if needed) a SQLite destination and state store. */
export function openSqliteStore(path: string, options?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(path, options);
}
