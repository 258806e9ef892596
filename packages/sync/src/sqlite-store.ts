// The embedded destination and state store: one SQLite file (node:sqlite, no native build) holding a table per
// canonical type, a table per raw stream, the stream checkpoints, the failed records and the run log. Records and
// the checkpoint that covers them commit in one transaction, so a process killed at any instant leaves either both
// or neither.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { PullPushError } from '@pullpush/canonical';
import type { StreamState } from '@pullpush/engine';
import type { BackgroundWriter, Batch, Destination, StateStore, StoredState, StreamIdentity, WriteCounts } from './destination.ts';
import { prepareBatch, type PreparedBatch } from './sqlite-rows.ts';
import { SqliteTables, tableNameOf, rawTableNameOf, UPSERT_STATE } from './sqlite-tables.ts';
import { cannotOpen, openSqliteFile } from './sqlite-file.ts';
import { SqliteBackgroundWriter } from './sqlite-writer.ts';
import { OUTBOX_TABLES } from './outbox.ts';
import { SyncErrorCode } from './errors.ts';
import { filterClause } from './store-queries.ts';
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
  readonly #tables: SqliteTables;
  readonly #upsertState: StatementSync;
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
      throw cannotOpen(this.path, error);
    }
    const row = this.#db.prepare("SELECT value FROM pullpush_meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    if (!row) this.#db.prepare("INSERT INTO pullpush_meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
    else if (Number(row.value) > SCHEMA_VERSION) {
      this.#db.close();
      throw new PullPushError(SyncErrorCode.DatabaseVersion, `${this.path} was written by a newer @pullpush/sync (layout ${row.value}, this one knows ${SCHEMA_VERSION}).`, {
        hint: 'Upgrade @pullpush/sync (or the pullpush CLI) to read this file.',
      });
    } else if (Number(row.value) < SCHEMA_VERSION) this.#upgrade(Number(row.value));
    this.#tables = new SqliteTables(this.#db, this.path);
    this.#upsertState = this.#db.prepare(UPSERT_STATE);
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

  /** Records, failures and the checkpoint of one batch, in one transaction. */
  write(batch: Batch): WriteCounts {
    this.#assertOpen();
    const prepared = prepareBatch(batch, this.#now().toISOString(), this.path);
    return this.writePrepared(this.#outbox === undefined ? prepared : { ...prepared, outbox: this.#outbox });
  }

  /** A prepared batch (see `prepareBatch`) in one transaction: what `write` commits. */
  writePrepared(batch: PreparedBatch): WriteCounts {
    this.#assertOpen();
    return this.#tables.writePrepared(batch);
  }

  /**
   * A writer of this file on a thread of its own, so that a long sync commits one batch while it reads the next;
   * none for an in-memory database, which another connection cannot see.
   */
  openBackgroundWriter(): BackgroundWriter | undefined {
    this.#assertOpen();
    return this.path === ':memory:' ? undefined : new SqliteBackgroundWriter(this.path, this.#now, this.#outbox);
  }

  /** Marks the stream's records this run did not see as deleted; returns how many. */
  tombstoneUnseen(identity: StreamIdentity, runId: string, canonicalType: string | undefined): number {
    this.#assertOpen();
    const syncedAt = this.#now().toISOString();
    if (canonicalType === undefined) {
      const table = rawTableNameOf(identity.connector, identity.stream);
      this.#tables.rawStatements(identity.connector, identity.stream);
      return Number(
        this.#db.prepare(`UPDATE "${table}" SET deleted = 1, synced_at = ? WHERE connection = ? AND deleted = 0 AND (seen_run IS NULL OR seen_run != ?)`).run(syncedAt, identity.connection, runId).changes,
      );
    }
    const table = tableNameOf(canonicalType.split('@')[0] as string);
    this.#tables.statements(canonicalType.split('@')[0] as string);
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
